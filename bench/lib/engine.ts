import { resolve } from 'node:path';
import { runPipeline } from '../../src/core/pipeline.ts';
import type { CommentDraft, Rule } from '../../src/core/rule.ts';
import { contentRules } from '../../src/core/rules/content.ts';
import { normalizeText } from '../../src/core/text/length.ts';
import { loadRulebook } from '../../src/runtime/rules-fs.ts';
import { ROOT } from './processes.ts';

export function loadContentRules(): Rule[] {
  return contentRules(loadRulebook(resolve(ROOT, 'rules')));
}

/** A draft for moderating a text alone, as `/check` builds it. */
export function draftOf(body: string): CommentDraft {
  return {
    threadId: 'bench',
    body: normalizeText(body),
    authorName: '',
    authorEmail: null,
    parentId: null,
    clientKey: null,
  };
}

/** The engine's verdict on a body (content rules only), used to keep refused texts out of the load. */
export async function contentAction(rules: Rule[], body: string): Promise<string> {
  return (await runPipeline(rules, draftOf(body), { pureOnly: true, now: new Date() })).action;
}

/**
 * Median microseconds per comment through the content rules (both languages' profanity and spam),
 * timed in batches after a warm-up so JIT and timer resolution do not dominate.
 */
export async function engineMicros(rules: Rule[], bodies: readonly string[], batches = 40): Promise<number> {
  const drafts = bodies.map(draftOf);
  const now = new Date();
  for (const d of drafts) await runPipeline(rules, d, { pureOnly: true, now });
  const perComment: number[] = [];
  for (let b = 0; b < batches; b++) {
    const t0 = performance.now();
    for (const d of drafts) await runPipeline(rules, d, { pureOnly: true, now });
    perComment.push(((performance.now() - t0) * 1000) / drafts.length);
  }
  perComment.sort((a, b) => a - b);
  return Math.round((perComment[Math.floor(perComment.length / 2)] ?? Number.NaN) * 10) / 10;
}
