import type { Config } from '../config.ts';
import type { Rule } from '../core/rule.ts';
import type { RateLimitOutcome } from '../core/rules/rate-limit.ts';
import type { Clock } from '../core/types.ts';
import type { Store } from '../db/store.ts';
import type { Hasher, Sealer } from '../lib/crypto.ts';
import type { Logger } from '../lib/logger.ts';
import type { UrlGuard } from '../webhooks/ssrf.ts';

/**
 * Everything the service needs from its runtime, passed in once. Node, Workers and the scale-out
 * wiring each build one of these; nothing below reaches for a global.
 */
export interface AppDeps {
  config: Config;
  store: Store;
  clock: Clock;
  logger: Logger;
  /** The full ordered pipeline, stateful rules included. */
  rules: Rule[];
  /** Keyed hash for client IPs (rate limits, duplicates, bans, reports). */
  ipHasher: Hasher;
  /** Keyed hash for author identities (name + email). */
  authorHasher: Hasher;
  /** Encrypts webhook secrets at rest. */
  sealer: Sealer;
  /** Called after a write that recorded webhook events, so delivery starts at once. */
  onEvents(): void;
  /** Keeps background work alive after the response (waitUntil on Workers). */
  background(task: Promise<unknown>): void;
  /** Told when this process creates or lifts a ban, so the ban gate's cache reloads at once. */
  onBansChanged?(): void;
  /**
   * SHA-256 (hex) of a text, for duplicate fingerprints. Node passes a synchronous one; without it Web
   * Crypto is used.
   */
  sha256Hex?(text: string): string | Promise<string>;
  /** Health of other dependencies (e.g. Redis) reported by /healthz. */
  healthChecks?: Record<string, () => Promise<void>>;
  /** Checks webhook URLs (SSRF) with the runtime's DNS; without it only IP-literal URLs can be judged. */
  webhookGuard?: UrlGuard;
  /**
   * HTTP requests being answered right now (the request middleware counts them when present).
   * Background work such as webhook delivery reads it to give way while many wait.
   */
  inFlight?: { count: number };
  /** Counts reader reports per client (RATE_LIMIT_REPORT); without it reports are not limited. */
  reportLimiter?: { consume(clientKey: string): Promise<RateLimitOutcome> };
}
