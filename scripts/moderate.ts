/**
 * `npm run moderate [-- --rules DIR]`: JSON Lines on stdin (`{"body": "…", "authorName"?: "…"}`, other
 * fields ignored), one verdict line on stdout per input line, in order: the same verdict as
 * `POST /api/v1/check`. A line that is not a valid request yields `{"error":{"code","message"}}`.
 * Blank lines are skipped. For editors testing the rules on a file of comments.
 */
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { runPipeline } from '../src/core/pipeline.ts';
import type { CommentDraft, Rule } from '../src/core/rule.ts';
import { contentRules } from '../src/core/rules/content.ts';
import { lengthRule } from '../src/core/rules/length.ts';
import { normalizeText } from '../src/core/text/length.ts';
import { toVerdict } from '../src/core/verdict.ts';
import { loadRulebook } from '../src/runtime/rules-fs.ts';

function rulesDir(): string {
  const at = process.argv.indexOf('--rules');
  const given = at >= 0 ? process.argv[at + 1] : undefined;
  return given ?? resolve(dirname(fileURLToPath(import.meta.url)), '..', 'rules');
}

function errorLine(code: string, message: string): string {
  return JSON.stringify({ error: { code, message } });
}

async function moderateLine(rules: readonly Rule[], line: string): Promise<string> {
  let input: unknown;
  try {
    input = JSON.parse(line);
  } catch {
    return errorLine('INVALID_JSON', 'The line is not valid JSON');
  }
  if (typeof input !== 'object' || input === null || Array.isArray(input)) {
    return errorLine('VALIDATION_FAILED', 'Each line must be a JSON object with a "body" string');
  }
  const { body, authorName } = input as { body?: unknown; authorName?: unknown };
  if (typeof body !== 'string') return errorLine('VALIDATION_FAILED', '"body" must be a string');
  if (authorName !== undefined && authorName !== null && typeof authorName !== 'string') {
    return errorLine('VALIDATION_FAILED', '"authorName" must be a string');
  }
  const draft: CommentDraft = {
    threadId: 'cli',
    body: normalizeText(body),
    authorName: normalizeText(authorName ?? ''),
    authorEmail: null,
    parentId: null,
    clientKey: null,
  };
  const result = await runPipeline(rules, draft, { pureOnly: true, now: new Date() });
  return JSON.stringify(toVerdict(result, 'post'));
}

async function main(): Promise<void> {
  let rules: Rule[];
  try {
    rules = [lengthRule({ min: 5, max: 500 }), ...contentRules(loadRulebook(rulesDir()))];
  } catch (error) {
    process.stderr.write(`moderate: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exitCode = 1;
    return;
  }

  const write = (text: string) =>
    new Promise<void>((done) => {
      if (process.stdout.write(text)) done();
      else process.stdout.once('drain', done);
    });

  // Lines are moderated a chunk at a time and written in input order; stdin is read as fast as
  // stdout drains, so a large file streams in constant memory.
  let pending = '';
  const flush = async (lines: string[]) => {
    const out: string[] = [];
    for (const line of lines) {
      if (line.trim() === '') continue;
      try {
        out.push(await moderateLine(rules, line));
      } catch (error) {
        out.push(errorLine('INTERNAL', error instanceof Error ? error.message : 'Moderation failed'));
      }
    }
    if (out.length > 0) await write(`${out.join('\n')}\n`);
  };

  process.stdin.setEncoding('utf8');
  for await (const chunk of process.stdin) {
    pending += chunk as string;
    const lines = pending.split('\n');
    pending = lines.pop() ?? '';
    await flush(lines);
  }
  await flush([pending]);
}

await main();
