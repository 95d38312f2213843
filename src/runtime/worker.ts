/**
 * The Cloudflare Workers entry: the same Hono app on D1, with rate limits in D1 (shared by every
 * isolate), webhook delivery through `waitUntil` after each change and a Cron Trigger for retries.
 * Rules and the widget/moderator assets are bundled in at build time (scripts/build-worker.ts).
 */

import assets from 'virtual:duyet-assets';
import ruleFiles from 'virtual:duyet-rules';
import { type Config, loadConfig } from '../config.ts';
import { compileRulebook, type Rulebook } from '../core/rulebook.ts';
import { banRule } from '../core/rules/ban.ts';
import { BanCache } from '../core/rules/ban-cache.ts';
import { contentRules } from '../core/rules/content.ts';
import { buildRules } from '../core/rules/registry.ts';
import { systemClock } from '../core/types.ts';
import { CommunityStore } from '../db/community-store.ts';
import { type D1Like, openD1 } from '../db/d1.ts';
import { PrivacyStore } from '../db/privacy-store.ts';
import { Store } from '../db/store.ts';
import { WebhookStore } from '../db/webhook-store.ts';
import { createApp } from '../http/app.ts';
import { createHasher, createSealer, type Hasher, type Sealer } from '../lib/crypto.ts';
import { createLogger, type Logger } from '../lib/logger.ts';
import { RateLimiterD1 } from '../ratelimit/d1-store.ts';
import { createCommentRateLimiter, createReportRateLimiter, type LimiterFactory } from '../ratelimit/limiter.ts';
import { SweptRateLimiterMemory } from '../ratelimit/memory.ts';
import type { AppDeps } from '../services/deps.ts';
import { createDispatcher, type Dispatcher } from '../webhooks/dispatcher.ts';
import { createDohResolver } from '../webhooks/doh-resolve.ts';
import { createFetchTransport } from '../webhooks/fetch-transport.ts';
import { createUrlGuard } from '../webhooks/ssrf.ts';

export interface Env {
  DB: D1Like;
  [variable: string]: unknown;
}

interface WorkerContext {
  waitUntil(promise: Promise<unknown>): void;
}

/** Per-isolate state: parsed once, reused by every request this isolate serves. */
interface Shared {
  config: Config;
  rulebook: Rulebook;
  logger: Logger;
  ipHasher: Hasher;
  authorHasher: Hasher;
  sealer: Sealer;
  /** Active bans, shared by this isolate's requests (reloaded every few seconds). */
  bans: BanCache;
}

let shared: Promise<Shared> | undefined;
let sharedFor: Env | undefined;

function stringVars(env: Env): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(env)) if (typeof v === 'string') out[k] = v;
  return out;
}

function getShared(env: Env): Promise<Shared> {
  if (!shared || sharedFor !== env) {
    sharedFor = env;
    shared = (async () => {
      const config = loadConfig(stringVars(env));
      if (!config.secretKey)
        throw new Error('SECRET_KEY must be set as a Worker secret (wrangler secret put SECRET_KEY)');
      const [ipHasher, authorHasher, sealer] = await Promise.all([
        createHasher(config.secretKey, 'ip'),
        createHasher(config.secretKey, 'author'),
        createSealer(config.secretKey),
      ]);
      return {
        config,
        rulebook: compileRulebook(ruleFiles),
        logger: createLogger(config.logLevel, { service: 'duyet', runtime: 'workers' }),
        ipHasher,
        authorHasher,
        sealer,
        bans: new BanCache(
          (now) => new CommunityStore(new Store(openD1(env.DB), systemClock)).allActiveBans(now),
          systemClock,
        ),
      };
    })();
    shared.catch(() => {
      shared = undefined;
    });
  }
  return shared;
}

function buildService(env: Env, ctx: WorkerContext, s: Shared): { deps: AppDeps; dispatcher: Dispatcher } {
  const { config } = s;
  const store = new Store(openD1(env.DB), systemClock);
  const factory: LimiterFactory = (o) =>
    new RateLimiterD1({ ...o, storeClient: env.DB, insuranceLimiter: new SweptRateLimiterMemory(o) });
  const rateLimiter = createCommentRateLimiter(config.rateLimits, factory, config.redisPrefix);
  const guard = createUrlGuard({ resolve: createDohResolver(), allowPrivate: config.webhookAllowPrivate });
  const dispatcher = createDispatcher({
    webhookStore: new WebhookStore(store),
    transport: createFetchTransport(),
    guard,
    sealer: s.sealer,
    clock: systemClock,
    logger: s.logger,
    schedule: config.webhookRetrySchedule,
    owner: `worker:${crypto.randomUUID()}`,
  });
  const deps: AppDeps = {
    config,
    store,
    clock: systemClock,
    logger: s.logger,
    rules: buildRules({
      limits: { min: config.minLength, max: config.maxLength },
      gates: [banRule(s.bans)],
      rateLimiter,
      sameText: store,
      duplicate: { windowSeconds: config.duplicateWindowSeconds, threadThreshold: config.duplicateThreadThreshold },
      content: contentRules(s.rulebook),
    }),
    ipHasher: s.ipHasher,
    authorHasher: s.authorHasher,
    sealer: s.sealer,
    webhookGuard: guard,
    onBansChanged: () => s.bans.invalidate(),
    reportLimiter: createReportRateLimiter(config.rateLimits, factory, config.redisPrefix),
    onEvents: () =>
      ctx.waitUntil(dispatcher.runOnce().catch((err) => s.logger.error('webhook delivery failed', { err }))),
    background: (task) => ctx.waitUntil(task),
  };
  return { deps, dispatcher };
}

export default {
  async fetch(request: Request, env: Env, ctx: WorkerContext): Promise<Response> {
    const s = await getShared(env);
    const { deps } = buildService(env, ctx, s);
    const app = createApp(deps, {
      clientAddress: (c) => c.req.header('cf-connecting-ip') ?? null,
      assets,
    });
    return app.fetch(request, env, ctx as never);
  },

  /** Cron Trigger: deliver due webhook retries (and anything a crashed isolate left behind). */
  async scheduled(_event: unknown, env: Env, ctx: WorkerContext): Promise<void> {
    const s = await getShared(env);
    const { deps, dispatcher } = buildService(env, ctx, s);
    ctx.waitUntil(
      (async () => {
        for (let i = 0; i < 10; i++) if ((await dispatcher.runOnce()) === 0) break;
      })(),
    );
    // RETENTION_DAYS: the cron runs every minute; sweep once an hour.
    const days = s.config.retentionDays;
    if (days !== null && new Date().getUTCMinutes() === 0) {
      ctx.waitUntil(new PrivacyStore(deps.store).applyRetention(days, new Date()));
    }
  },
};
