import { type RateLimiterAbstract, RateLimiterRes } from 'rate-limiter-flexible';
import type { RateLimitConfig, RateWindow } from '../config.ts';
import type { CommentRateLimiter, LimitState, RateLimitOutcome } from '../core/rules/rate-limit.ts';

/** Builds one rate-limiter-flexible limiter for a dimension and window; one per runtime/store. */
export type LimiterFactory = (opts: { keyPrefix: string; points: number; duration: number }) => RateLimiterAbstract;

interface Limit {
  name: string;
  dimension: 'ip' | 'author' | 'thread' | 'global' | 'report';
  window: RateWindow;
  limiter: RateLimiterAbstract;
}

function windowName(seconds: number): string {
  if (seconds % 86400 === 0) return `${seconds / 86400}d`;
  if (seconds % 3600 === 0) return `${seconds / 3600}h`;
  if (seconds % 60 === 0) return `${seconds / 60}m`;
  return `${seconds}s`;
}

function build(dimension: Limit['dimension'], windows: RateWindow[], factory: LimiterFactory, prefix: string): Limit[] {
  return windows.map((window) => {
    const name = `${dimension}-${windowName(window.seconds)}`;
    return {
      name,
      dimension,
      window,
      limiter: factory({ keyPrefix: `${prefix}:${name}`, points: window.points, duration: window.seconds }),
    };
  });
}

async function consumeGroup(limits: Limit[], key: string | null) {
  if (key === null) return [];
  return Promise.all(
    limits.map(async (limit) => {
      try {
        const res = await limit.limiter.consume(key, 1);
        return { limit, res, limited: false };
      } catch (err) {
        // A rejected consume is "limited", reported as a RateLimiterRes; anything else is a store failure.
        if (err instanceof RateLimiterRes) return { limit, res: err, limited: true };
        throw err;
      }
    }),
  );
}

/**
 * Consumes dimension by dimension (the caller's order) and stops at the first exhausted one, so a
 * client refused for its own excess does not also spend the thread's or the site's allowance.
 */
async function consumeAll(groups: { limits: Limit[]; key: string | null }[]): Promise<RateLimitOutcome> {
  const states: LimitState[] = [];
  let limited = false;
  let retryAfterMs = 0;
  for (const group of groups) {
    for (const r of await consumeGroup(group.limits, group.key)) {
      states.push({
        name: r.limit.name,
        limit: r.limit.window.points,
        windowSeconds: r.limit.window.seconds,
        remaining: Math.max(0, r.res.remainingPoints),
        resetSeconds: Math.max(0, Math.ceil(r.res.msBeforeNext / 1000)),
      });
      if (r.limited) {
        limited = true;
        retryAfterMs = Math.max(retryAfterMs, r.res.msBeforeNext);
      }
    }
    if (limited) break;
  }
  return { limited, retryAfterMs, limits: states };
}

/** Limits per client IP hash, per author, per thread and for the whole site, from configuration. */
export function createCommentRateLimiter(
  config: RateLimitConfig,
  factory: LimiterFactory,
  prefix = 'duyet',
): CommentRateLimiter {
  const ip = build('ip', config.ip, factory, prefix);
  const author = build('author', config.author, factory, prefix);
  const thread = build('thread', config.thread, factory, prefix);
  const global = build('global', config.global, factory, prefix);
  return {
    consume(keys) {
      return consumeAll([
        { limits: ip, key: keys.ip },
        { limits: author, key: keys.author },
        { limits: thread, key: keys.thread },
        { limits: global, key: 'site' },
      ]);
    },
  };
}

/** Reader reports are limited per client like posting. */
export function createReportRateLimiter(
  config: RateLimitConfig,
  factory: LimiterFactory,
  prefix = 'duyet',
): { consume(clientKey: string): Promise<RateLimitOutcome> } {
  const limits = build('report', config.report, factory, prefix);
  return { consume: (clientKey) => consumeAll([{ limits, key: clientKey }]) };
}

/** `RateLimit-Policy` and `RateLimit` header values (IETF httpapi draft, structured fields). */
export function rateLimitHeaders(limits: LimitState[]): Record<string, string> {
  if (limits.length === 0) return {};
  return {
    'RateLimit-Policy': limits.map((l) => `"${l.name}";q=${l.limit};w=${l.windowSeconds}`).join(', '),
    RateLimit: limits.map((l) => `"${l.name}";r=${l.remaining};t=${l.resetSeconds}`).join(', '),
  };
}
