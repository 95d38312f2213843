import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { compileRulebook, RulebookError, type RuleFile } from '../../src/core/rulebook.ts';
import { loadRulebook } from '../../src/runtime/rules-fs.ts';

const rulesDir = resolve(import.meta.dirname, '..', '..', 'rules');
const files: RuleFile[] = readdirSync(rulesDir).map((name) => ({
  name,
  text: readFileSync(join(rulesDir, name), 'utf8'),
}));

function withFile(name: string, text: string): RuleFile[] {
  return [...files.filter((f) => f.name !== name), { name, text }];
}

function errorOf(fn: () => unknown): RulebookError {
  try {
    fn();
  } catch (error) {
    if (error instanceof RulebookError) return error;
    throw error;
  }
  throw new Error('expected a RulebookError');
}

describe('compileRulebook', () => {
  it('compiles the shipped rules', () => {
    const rulebook = compileRulebook(files);
    expect(rulebook.files).toEqual([
      'policy.txt',
      'profanity-en.txt',
      'profanity-vi.txt',
      'spam-domains.txt',
      'spam.txt',
      'whitelist-vi.txt',
    ]);
    expect(rulebook.vi.size).toBeGreaterThan(200);
    expect(rulebook.policy.tiers.severe).toBe('reject');
    expect(rulebook.policy.spamThreshold).toBe(0.8);
  });

  it('seeds English from leo-profanity minus the entries switched off', () => {
    const { en } = compileRulebook(files);
    expect(en.exact.next.get('bollocks')?.value?.tier).toBe('vulgar');
    expect(en.exact.next.get('fuck')?.value?.tier).toBe('severe');
    expect(en.exact.next.has('rape')).toBe(false);
    expect(en.exact.next.has('escort')).toBe(false);
    expect(en.exact.next.has('dick')).toBe(false);
    expect(en.exact.next.has('nude')).toBe(false);
  });

  it('loads the same rules from disk', () => {
    expect(loadRulebook(rulesDir).vi.size).toBe(compileRulebook(files).vi.size);
  });

  it('names file and line of an unknown tier', () => {
    const e = errorOf(() =>
      compileRulebook(withFile('profanity-vi.txt', '# header\n\nlồn | severe | sexual\ncặc | awful | sexual\n')),
    );
    expect(e.file).toBe('profanity-vi.txt');
    expect(e.line).toBe(4);
    expect(e.message).toBe(
      'profanity-vi.txt:4: unknown tier "awful" (expected severe, vulgar, insult, mild, hate, suspect, minor, off)',
    );
  });

  it('names file and line of a term with punctuation', () => {
    const e = errorOf(() => compileRulebook(withFile('profanity-vi.txt', "đ' | severe | profanity\n")));
    expect(e.message).toBe('profanity-vi.txt:1: term "đ\'" may contain only letters, digits and single spaces');
  });

  it('rejects a duplicate term and points at the first one', () => {
    const e = errorOf(() =>
      compileRulebook(withFile('profanity-vi.txt', 'đm | severe | teencode\nĐmmm | mild | teencode\n')),
    );
    expect(e.message).toBe('profanity-vi.txt:2: duplicate term "Đmmm" (first at profanity-vi.txt:1)');
  });

  it('rejects an unknown flag, a bad spam weight and a bad policy action', () => {
    expect(errorOf(() => compileRulebook(withFile('profanity-vi.txt', 'đm | severe | teencode | loud\n'))).line).toBe(
      1,
    );
    expect(
      errorOf(() =>
        compileRulebook(withFile('spam.txt', `${files.find((f) => f.name === 'spam.txt')!.text}\nvay | 2 | loan\n`)),
      ).reason,
    ).toBe('"2" must be a number from -1 to 1');
    expect(errorOf(() => compileRulebook(withFile('policy.txt', 'severe | shout\n'))).message).toBe(
      'policy.txt:1: action "shout" must be one of reject, hold, mask, allow',
    );
  });

  it('requires a policy with every tier', () => {
    expect(errorOf(() => compileRulebook(files.filter((f) => f.name !== 'policy.txt'))).message).toBe(
      'policy.txt: no policy file',
    );
    expect(errorOf(() => compileRulebook(withFile('policy.txt', 'severe | reject\n'))).message).toBe(
      'policy.txt: no action for tier "vulgar"',
    );
  });

  it('refuses a rules file it does not know and ignores non-.txt files', () => {
    expect(errorOf(() => compileRulebook([...files, { name: 'badwords.txt', text: '' }])).file).toBe('badwords.txt');
    expect(() => compileRulebook([...files, { name: 'NOTES.md', text: 'anything | at all' }])).not.toThrow();
  });

  it('fails to load a directory with a bad file, naming file and line', () => {
    const dir = mkdtempSync(join(tmpdir(), 'duyet-rules-'));
    for (const f of files) writeFileSync(join(dir, f.name), f.text);
    writeFileSync(join(dir, 'whitelist-vi.txt'), 'hạt óc chó\nđái-tháo-đường | diabetes\n');
    expect(() => loadRulebook(dir)).toThrow(
      'whitelist-vi.txt:2: term "đái-tháo-đường" may contain only letters, digits and single spaces',
    );
  });
});
