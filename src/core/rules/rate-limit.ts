import { DomainError } from '../errors.ts';
import { ALLOW, type Rule } from '../rule.ts';

/** One limit that was evaluated, for the RateLimit-Policy / RateLimit headers. */
export interface LimitState {
  name: string;
  limit: number;
  windowSeconds: number;
  remaining: number;
  resetSeconds: number;
}

export interface RateLimitOutcome {
  limited: boolean;
  /** Milliseconds until the tightest exhausted limit frees a point. */
  retryAfterMs: number;
  limits: LimitState[];
}

/** Counts a posting attempt against every configured limit (per IP, author, thread, site). */
export interface CommentRateLimiter {
  consume(keys: { ip: string | null; author: string; thread: string }): Promise<RateLimitOutcome>;
}

/** Answers RATE_LIMITED (nothing stored) when any limit is exhausted. */
export function rateLimitRule(limiter: CommentRateLimiter): Rule {
  return {
    name: 'rate-limit',
    stateful: true,
    async check({ draft }) {
      const outcome = await limiter.consume({
        ip: draft.clientKey,
        author: draft.authorKey ?? `${draft.authorName}\n${draft.authorEmail ?? ''}`,
        thread: draft.threadId,
      });
      if (!outcome.limited) return ALLOW;
      const retryAfter = Math.max(1, Math.ceil(outcome.retryAfterMs / 1000));
      return {
        action: 'refuse',
        error: new DomainError('RATE_LIMITED', { retryAfter }, { retryAfter, limits: outcome.limits }),
      };
    },
  };
}
