import { DomainError } from '../errors.ts';
import { ALLOW, type Rule } from '../rule.ts';
import { graphemeLength, type LengthLimits } from '../text/length.ts';

/** COMMENT_TOO_SHORT / COMMENT_TOO_LONG on the normalised body, counted in grapheme clusters. */
export function lengthRule(limits: LengthLimits): Rule {
  return {
    name: 'length',
    check({ draft }) {
      const length = graphemeLength(draft.body);
      if (length < limits.min) {
        return {
          action: 'refuse',
          error: new DomainError(
            'COMMENT_TOO_SHORT',
            { min: limits.min, max: limits.max },
            { length, min: limits.min },
          ),
        };
      }
      if (length > limits.max) {
        return {
          action: 'refuse',
          error: new DomainError('COMMENT_TOO_LONG', { min: limits.min, max: limits.max }, { length, max: limits.max }),
        };
      }
      return ALLOW;
    },
  };
}
