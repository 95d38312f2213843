import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

const repo = resolve(import.meta.dirname, '..', '..');
const tsx = resolve(repo, 'node_modules', 'tsx', 'dist', 'cli.mjs');

function moderate(input: string, args: string[] = []) {
  const r = spawnSync(process.execPath, [tsx, resolve(repo, 'scripts', 'moderate.ts'), ...args], {
    cwd: tmpdir(),
    input,
    encoding: 'utf8',
    timeout: 60_000,
  });
  return {
    status: r.status,
    stderr: r.stderr,
    lines: r.stdout
      .split('\n')
      .filter((l) => l !== '')
      .map((l) => JSON.parse(l) as Record<string, unknown>),
  };
}

describe('npm run moderate', () => {
  it('writes one verdict per input line, in order, and an error line for a bad one', () => {
    const input = [
      JSON.stringify({ body: 'Đm thằng tài xế say xỉn', authorName: 'A', extra: true }),
      'not json',
      JSON.stringify({ body: 42 }),
      '',
      JSON.stringify({ body: 'Bài viết rất hay, cảm ơn tác giả' }),
      JSON.stringify({ body: 'hi' }),
      JSON.stringify({ body: 'Xem clip full tại bit.ly/abc123' }),
      '[1,2]',
    ].join('\n');
    const { status, lines } = moderate(input);
    expect(status).toBe(0);
    expect(lines).toEqual([
      {
        action: 'reject',
        status: 'rejected',
        reasons: [{ code: 'PROFANITY_SEVERE', rule: 'profanity-vi', detail: 'Đm', spans: [[0, 2]] }],
        score: 0,
        code: 'COMMENT_REJECTED',
      },
      { error: { code: 'INVALID_JSON', message: 'The line is not valid JSON' } },
      { error: { code: 'VALIDATION_FAILED', message: '"body" must be a string' } },
      { action: 'allow', status: 'approved', reasons: [], score: 0 },
      { action: 'reject', status: null, reasons: [], score: 0, code: 'COMMENT_TOO_SHORT' },
      {
        action: 'review',
        status: 'spam',
        reasons: [
          { code: 'SPAM', rule: 'spam', detail: 'score 1' },
          { code: 'SPAM_TOPIC', rule: 'spam', detail: 'Xem clip', spans: [[0, 8]] },
          { code: 'SPAM_LINK', rule: 'spam', detail: 'bit.ly/abc123', spans: [[18, 31]] },
        ],
        score: 1,
      },
      { error: { code: 'VALIDATION_FAILED', message: 'Each line must be a JSON object with a "body" string' } },
    ]);
  });

  it('moderates 10,000 lines in a few seconds', () => {
    const input = Array.from({ length: 10_000 }, (_, i) =>
      JSON.stringify({
        body: i % 10 === 0 ? `Bình luận ${i}: đéo tin` : `Bình luận số ${i} về bài báo hôm nay, rất hay`,
      }),
    ).join('\n');
    const started = Date.now();
    const { status, lines } = moderate(`${input}\n`);
    expect(status).toBe(0);
    expect(Date.now() - started).toBeLessThan(15_000);
    expect(lines).toHaveLength(10_000);
    expect(lines.filter((l) => l.action === 'reject')).toHaveLength(1_000);
  });

  it('fails with file:line when a rules file is invalid', () => {
    const dir = mkdtempSync(join(tmpdir(), 'duyet-rules-'));
    for (const name of readdirSync(resolve(repo, 'rules'))) {
      writeFileSync(join(dir, name), readFileSync(resolve(repo, 'rules', name)));
    }
    writeFileSync(join(dir, 'policy.txt'), 'severe | reject\nvulgar | maybe\n');
    const { status, stderr, lines } = moderate('{"body":"xin chào các bạn"}\n', ['--rules', dir]);
    expect(status).toBe(1);
    expect(lines).toEqual([]);
    expect(stderr).toBe('moderate: policy.txt:2: action "maybe" must be one of reject, hold, mask, allow\n');
  });
});
