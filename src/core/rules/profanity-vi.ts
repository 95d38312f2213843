import type { Rule, RuleContext } from '../rule.ts';
import { lexiconOutcome, matchLexicon, type Rulebook } from '../rulebook.ts';
import { type Analysis, analyze } from '../text/analyze.ts';

/** `ctx.shared` keys, one per rulebook, built once rather than for every rule of every comment. */
const analysisKeys = new Map<number, string>();

/** Tokenises and tags the body once per comment for every content rule of one rulebook. */
export function analysisOf(ctx: RuleContext, rulebook: Rulebook): Analysis {
  let key = analysisKeys.get(rulebook.id);
  if (key === undefined) {
    key = `analysis:${rulebook.id}`;
    analysisKeys.set(rulebook.id, key);
  }
  return ctx.shared(key, () => analyze(ctx.draft.body, rulebook.tagger));
}

/**
 * Vietnamese profanity, insults and hate speech from `rules/profanity-vi*.txt`: whole tokens and
 * 1–4 syllable phrases with diacritics, folded phrases only when typed without any diacritics,
 * whitelisted phrases first, spelled-out and masked evasions. Reason codes follow the entry's tier
 * (PROFANITY_SEVERE, PROFANITY, INSULT, PROFANITY_MILD, HATE, PROFANITY_SUSPECT), actions the policy.
 */
export function profanityViRule(rulebook: Rulebook): Rule {
  const options = { whitelist: rulebook.whitelist };
  return {
    name: 'profanity-vi',
    check(ctx) {
      const analysis = analysisOf(ctx, rulebook);
      const matches = matchLexicon(rulebook.vi, analysis, options);
      return lexiconOutcome('profanity-vi', matches, analysis.source, rulebook.policy);
    },
  };
}
