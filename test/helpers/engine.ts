import { resolve } from 'node:path';
import { type PipelineResult, runPipeline } from '../../src/core/pipeline.ts';
import type { CommentDraft, Rule } from '../../src/core/rule.ts';
import { normalizeText } from '../../src/core/text/length.ts';
import { loadRulebook } from '../../src/runtime/rules-fs.ts';

/** The repository's rules, compiled once per test file. */
export const rulebook = loadRulebook(resolve(import.meta.dirname, '..', '..', 'rules'));

export const testNow = new Date('2026-11-26T00:00:00Z');

/** A comment draft for moderating text alone, as `/check` and `npm run moderate` build it. */
export function draftOf(body: string): CommentDraft {
  return {
    threadId: 't',
    body: normalizeText(body),
    authorName: '',
    authorEmail: null,
    parentId: null,
    clientKey: null,
  };
}

/** Runs the given rules on a text alone (no stateful rules). */
export function moderateWith(rules: readonly Rule[], body: string): Promise<PipelineResult> {
  return runPipeline(rules, draftOf(body), { pureOnly: true, now: testNow });
}
