import type { Rule } from '../rule.ts';
import type { LengthLimits } from '../text/length.ts';
import { type DuplicateOptions, duplicateRule, type SameTextLookup } from './duplicate.ts';
import { lengthRule } from './length.ts';
import { type CommentRateLimiter, rateLimitRule } from './rate-limit.ts';

export interface RegistryDeps {
  limits: LengthLimits;
  /** Stateful gates that run before counting (bans). */
  gates?: Rule[];
  rateLimiter: CommentRateLimiter | null;
  sameText: SameTextLookup | null;
  duplicate: DuplicateOptions;
  /** Content rules (profanity, spam), in order. */
  content: Rule[];
}

/**
 * The ordered moderation pipeline. Cheap refusals first so a refused request costs little and does not
 * count against later limits; rate limits before content so abusive retries are still counted.
 */
export function buildRules(deps: RegistryDeps): Rule[] {
  return [
    lengthRule(deps.limits), // COMMENT_TOO_SHORT / COMMENT_TOO_LONG, nothing stored
    ...(deps.gates ?? []), // AUTHOR_BANNED, nothing stored
    ...(deps.rateLimiter ? [rateLimitRule(deps.rateLimiter)] : []), // RATE_LIMITED, nothing stored
    ...(deps.sameText ? [duplicateRule(deps.sameText, deps.duplicate)] : []), // DUPLICATE_COMMENT, or spam across threads
    ...deps.content, // profanity (vi, en) and spam scoring
  ];
}
