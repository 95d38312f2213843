import type { DomainError } from './errors.ts';
import { ACTION_RANK, type Action, type CommentDraft, type Rule, type RuleContext } from './rule.ts';
import type { Reason, Span } from './types.ts';

export interface PipelineResult {
  /** The strongest action any rule asked for. */
  action: Action;
  reasons: Reason[];
  score: number;
  mask: Span[];
  /** Set when `action` is `refuse`. */
  error?: DomainError;
}

export interface PipelineOptions {
  /** Skip stateful rules (rate limits, duplicates, bans): for `/check` and `npm run moderate`. */
  pureOnly?: boolean;
  now: Date;
  /** Told about a rule that threw; the comment is then held, never approved. */
  onRuleError?: (rule: string, error: unknown) => void;
}

/**
 * Runs the rules in registry order. `refuse` and `reject` are decisive and end the run at once
 * (a refused request must not count against later limits; a rejected one needs no spam score).
 * Other actions accumulate: the strongest wins and every rule's reasons are kept, so a held
 * comment shows moderators everything that was found. A rule that throws holds the comment.
 */
export async function runPipeline(
  rules: readonly Rule[],
  draft: CommentDraft,
  options: PipelineOptions,
): Promise<PipelineResult> {
  const memo = new Map<string, unknown>();
  const ctx: RuleContext = {
    draft,
    now: options.now,
    shared<T>(key: string, compute: () => T): T {
      if (memo.has(key)) return memo.get(key) as T;
      const value = compute();
      memo.set(key, value);
      return value;
    },
  };
  const result: PipelineResult = { action: 'allow', reasons: [], score: 0, mask: [] };
  for (const rule of rules) {
    if (options.pureOnly && rule.stateful) continue;
    let outcome: Awaited<ReturnType<Rule['check']>>;
    try {
      outcome = await rule.check(ctx);
    } catch (error) {
      options.onRuleError?.(rule.name, error);
      result.reasons.push({ code: 'RULE_FAILED', rule: rule.name });
      if (ACTION_RANK[result.action] < ACTION_RANK.hold) result.action = 'hold';
      continue;
    }
    if (outcome.reasons) result.reasons.push(...outcome.reasons);
    if (outcome.score !== undefined && outcome.score > result.score) result.score = outcome.score;
    if (outcome.mask) result.mask.push(...outcome.mask);
    if (ACTION_RANK[outcome.action] > ACTION_RANK[result.action]) result.action = outcome.action;
    if (outcome.action === 'refuse') {
      if (outcome.error) result.error = outcome.error;
      return result;
    }
    if (outcome.action === 'reject') return result;
  }
  return result;
}

/** Replaces each masked span with `***`, merging overlaps; spans index the normalised body. */
export function applyMask(body: string, spans: readonly Span[]): string {
  if (spans.length === 0) return body;
  const sorted = [...spans].sort((a, b) => a[0] - b[0]);
  let out = '';
  let cursor = 0;
  for (const [start, end] of sorted) {
    if (end <= cursor) continue;
    // A span that starts inside the previous one only extends it.
    out += start >= cursor ? `${body.slice(cursor, start)}***` : '';
    cursor = end;
  }
  return out + body.slice(cursor);
}
