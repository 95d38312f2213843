import type { Rule } from '../rule.ts';
import type { Rulebook } from '../rulebook.ts';
import { profanityEnRule } from './profanity-en.ts';
import { profanityViRule } from './profanity-vi.ts';
import { spamRule } from './spam.ts';

/**
 * The content rules in the order they run (after length, rate limits and the other stateful rules).
 * They share one tokenisation through `ctx.shared`.
 */
export function contentRules(rulebook: Rulebook): Rule[] {
  return [
    // Severe Vietnamese profanity rejects at once; nothing after it needs to run.
    profanityViRule(rulebook),
    // English list over ASCII tokens only, so Vietnamese words never meet an English matcher.
    profanityEnRule(rulebook),
    // Scored last: its reasons add to any hold the profanity rules asked for.
    spamRule(rulebook),
  ];
}
