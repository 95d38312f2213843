import { DomainError } from '../errors.ts';
import { ALLOW, type Rule } from '../rule.ts';

/** Finds the active ban (neither lifted nor expired at `now`) on an email or a client-IP hash. */
export interface BanLookup {
  activeBan(q: { email: string | null; ipHash: string | null; now: string }): Promise<{ until: string | null } | null>;
}

/**
 * Refuses a banned author's comment with AUTHOR_BANNED (nothing stored). It matches the lower-cased
 * email or the keyed hash of the client IP, never a raw address, and expires by the injected clock.
 * A gate: it runs before the rate limits, so a banned author's attempts cost no one else's allowance.
 */
export function banRule(lookup: BanLookup): Rule {
  return {
    name: 'ban',
    stateful: true,
    async check({ draft, now }) {
      const ban = await lookup.activeBan({
        email: draft.authorEmail ? draft.authorEmail.toLowerCase() : null,
        ipHash: draft.clientKey,
        now: now.toISOString(),
      });
      if (!ban) return ALLOW;
      return {
        action: 'refuse',
        error: new DomainError('AUTHOR_BANNED', { until: ban.until ?? '' }, { until: ban.until }),
      };
    },
  };
}
