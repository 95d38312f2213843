import type { Rule, RuleContext } from '../rule.ts';
import { lexiconOutcome, matchLexicon, type Rulebook } from '../rulebook.ts';
import { type Analysis, analyze } from '../text/analyze.ts';

/** Tokenises and tags the body once per comment for every content rule of one rulebook. */
export function analysisOf(ctx: RuleContext, rulebook: Rulebook): Analysis {
  return ctx.shared(`analysis:${rulebook.id}`, () => analyze(ctx.draft.body, rulebook.tagger));
}

/**
 * Vietnamese profanity, insults and hate speech from `rules/profanity-vi*.txt`: whole tokens and
 * 1–4 syllable phrases with diacritics, folded phrases only when typed without any diacritics,
 * whitelisted phrases first, spelled-out and masked evasions. Reason codes follow the entry's tier
 * (PROFANITY_SEVERE, PROFANITY, INSULT, PROFANITY_MILD, HATE, PROFANITY_SUSPECT), actions the policy.
 */
export function profanityViRule(rulebook: Rulebook): Rule {
  return {
    name: 'profanity-vi',
    check(ctx) {
      const analysis = analysisOf(ctx, rulebook);
      const matches = matchLexicon(rulebook.vi, analysis, { whitelist: rulebook.whitelist });
      return lexiconOutcome('profanity-vi', matches, analysis.source, rulebook.policy);
    },
  };
}
