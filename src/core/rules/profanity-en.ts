import type { Rule } from '../rule.ts';
import { lexiconOutcome, matchLexicon, type Rulebook } from '../rulebook.ts';
import { analysisOf } from './profanity-vi.ts';

const ENGLISH = { english: true } as const;

/**
 * English profanity. The word list is leo-profanity's English dictionary (seeded in
 * `rules/profanity-en.txt`, curated for a news site) looked up per token after our own
 * normalisation: only ASCII tokens (never Vietnamese words stripped of diacritics, so `Bích` and
 * `cúm` pass), whole words (`Scunthorpe`, `cocktail`), plus leetspeak (`sh1t`, `bullsh!t`), repeats
 * (`fuuuuck`), spelled-out (`f u c k`), masked (`f*ck`), plurals and stems (`motherfucking`).
 */
export function profanityEnRule(rulebook: Rulebook): Rule {
  return {
    name: 'profanity-en',
    check(ctx) {
      const analysis = analysisOf(ctx, rulebook);
      const matches = matchLexicon(rulebook.en, analysis, ENGLISH);
      return lexiconOutcome('profanity-en', matches, analysis.source, rulebook.policy);
    },
  };
}
