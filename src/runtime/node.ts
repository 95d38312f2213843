import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { dirname, resolve } from 'node:path';
import { RateLimiterRedis, RateLimiterSQLite } from 'rate-limiter-flexible';
import type { Config } from '../config.ts';
import { banRule } from '../core/rules/ban.ts';
import { BanCache } from '../core/rules/ban-cache.ts';
import { contentRules } from '../core/rules/content.ts';
import { buildRules } from '../core/rules/registry.ts';
import type { Clock } from '../core/types.ts';
import { systemClock } from '../core/types.ts';
import { CommunityStore } from '../db/community-store.ts';
import { migrateToLatest } from '../db/migrate.ts';
import { PrivacyStore } from '../db/privacy-store.ts';
import { Store } from '../db/store.ts';
import { WebhookStore } from '../db/webhook-store.ts';
import { createApp } from '../http/app.ts';
import type { AppContext } from '../http/env.ts';
import { createSealer, randomBytes, toBase64Url } from '../lib/crypto.ts';
import { createLogger, type Logger } from '../lib/logger.ts';
import { createCommentRateLimiter, createReportRateLimiter, type LimiterFactory } from '../ratelimit/limiter.ts';
import { SweptRateLimiterMemory } from '../ratelimit/memory.ts';
import type { AppDeps } from '../services/deps.ts';
import { createDispatcher, type Dispatcher } from '../webhooks/dispatcher.ts';
import { createUrlGuard } from '../webhooks/ssrf.ts';
import { buildNodeAssets } from './node-assets.ts';
import { createNodeHasher, nodeHmac } from './node-crypto.ts';
import { openDatabase } from './node-db.ts';
import { createNodeWebhookTransport, nodeResolve } from './node-webhook-transport.ts';
import { loadRulebook } from './rules-fs.ts';

export interface NodeServiceOptions {
  clock?: Clock;
  logger?: Logger;
  rulesDir?: string;
  /** Start the webhook delivery loop (default true); tests drive `dispatcher.runOnce()` by hand instead. */
  startDispatcher?: boolean;
  /** Webhook request timeout (default 10 s); tests shorten it. */
  webhookTimeoutMs?: number;
  /** How long delivery gives way to a burst of requests at most (default 10 s); tests shorten it. */
  webhookMaxDeferMs?: number;
}

export interface NodeService {
  app: ReturnType<typeof createApp>;
  deps: AppDeps;
  /** The webhook delivery loop. */
  dispatcher: Dispatcher;
  close(): Promise<void>;
}

/**
 * The secret behind IP hashes and webhook-secret encryption. From SECRET_KEY, or for a single SQLite
 * instance generated once and kept beside the database (mode 0600), so hashes survive restarts.
 */
function resolveSecret(config: Config, logger: Logger): string {
  if (config.secretKey) return config.secretKey;
  if (config.databaseUrl.startsWith('postgres')) {
    throw new Error('SECRET_KEY must be set when several instances share PostgreSQL (they must hash alike)');
  }
  const dbPath = config.databaseUrl.replace(/^file:/, '');
  const file = dbPath === ':memory:' ? null : resolve(dirname(dbPath), 'secret.key');
  if (file && existsSync(file)) return readFileSync(file, 'utf8').trim();
  const secret = toBase64Url(randomBytes(32));
  if (file) {
    mkdirSync(dirname(file), { recursive: true });
    writeFileSync(file, `${secret}\n`, { mode: 0o600 });
    logger.warn('SECRET_KEY not set: generated one', { file });
  }
  return secret;
}

/** Builds the Node service: database (migrated), rate limiters, rules, app. Does not listen. */
export async function createNodeService(config: Config, options: NodeServiceOptions = {}): Promise<NodeService> {
  const clock = options.clock ?? systemClock;
  const logger = options.logger ?? createLogger(config.logLevel, { service: 'duyet' });
  const handle = openDatabase(config.databaseUrl, { poolSize: config.dbPoolSize });
  await migrateToLatest(handle.db);
  const store = new Store(handle, clock);
  const secret = resolveSecret(config, logger);
  const [ipHasher, authorHasher, sealer] = await Promise.all([
    createNodeHasher(secret, 'ip'),
    createNodeHasher(secret, 'author'),
    createSealer(secret),
  ]);

  const closers: (() => Promise<void> | void)[] = [];
  const inFlight = { count: 0 };
  // The duplicate rule's filter of recent fingerprints fills in the background; until then it looks up.
  const recentText = store
    .loadRecentText()
    .catch((err: unknown) => logger.error('loading recent comment fingerprints failed', { err }));
  closers.push(() => recentText.then(() => undefined));
  const healthChecks: AppDeps['healthChecks'] = {};
  let factory: LimiterFactory;
  if (config.redisUrl) {
    // Loaded only when configured: a single SQLite instance does not carry the client.
    const { Redis } = await import('ioredis');
    const redis = new Redis(config.redisUrl, { enableOfflineQueue: false, maxRetriesPerRequest: 1 });
    redis.on('error', (err) => logger.warn('redis error', { err }));
    // Serve only once Redis answers (or after a short wait): without the offline queue, commands sent
    // while connecting would fail over to the per-instance insurance limiter.
    await new Promise<void>((resolveReady) => {
      const timer = setTimeout(() => {
        logger.warn('redis not ready after 3 s; limiting in memory until it is');
        resolveReady();
      }, 3000);
      redis.once('ready', () => {
        clearTimeout(timer);
        resolveReady();
      });
    });
    closers.push(() => {
      redis.disconnect();
    });
    healthChecks.redis = async () => {
      await redis.ping();
    };
    factory = (o) =>
      new RateLimiterRedis({
        ...o,
        storeClient: redis,
        // While Redis is unreachable each instance limits on its own rather than not at all.
        insuranceLimiter: new SweptRateLimiterMemory(o),
      });
  } else if (config.rateLimitStore === 'sqlite' && 'sqlite' in handle && handle.sqlite) {
    const sqlite = handle.sqlite;
    factory = (o) =>
      new RateLimiterSQLite({
        ...o,
        storeClient: sqlite,
        storeType: 'better-sqlite3',
        tableName: 'rate_limits',
        insuranceLimiter: new SweptRateLimiterMemory(o),
      });
  } else {
    factory = (o) => new SweptRateLimiterMemory(o);
  }
  const rateLimiter = createCommentRateLimiter(config.rateLimits, factory, config.redisPrefix);
  const community = new CommunityStore(store);
  const bans = new BanCache((now) => community.allActiveBans(now), clock);
  const rulebook = loadRulebook(options.rulesDir ?? resolve(import.meta.dirname, '..', '..', 'rules'));

  const pending = new Set<Promise<unknown>>();
  const deps: AppDeps = {
    config,
    store,
    clock,
    logger,
    rules: buildRules({
      limits: { min: config.minLength, max: config.maxLength },
      gates: [banRule(bans)],
      rateLimiter,
      sameText: store,
      duplicate: { windowSeconds: config.duplicateWindowSeconds, threadThreshold: config.duplicateThreadThreshold },
      content: contentRules(rulebook),
    }),
    ipHasher,
    authorHasher,
    sealer,
    onEvents: () => {},
    background(task) {
      pending.add(task);
      task.then(
        () => pending.delete(task),
        (err) => {
          pending.delete(task);
          logger.error('background task failed', { err });
        },
      );
    },
    healthChecks,
    inFlight,
    onBansChanged: () => bans.invalidate(),
    sha256Hex: (text) => createHash('sha256').update(text).digest('hex'),
    reportLimiter: createReportRateLimiter(config.rateLimits, factory, config.redisPrefix),
  };

  const webhookGuard = createUrlGuard({ resolve: nodeResolve, allowPrivate: config.webhookAllowPrivate });
  deps.webhookGuard = webhookGuard;
  const dispatcher = createDispatcher({
    webhookStore: new WebhookStore(store),
    transport: createNodeWebhookTransport({ guard: webhookGuard }),
    guard: webhookGuard,
    sealer,
    clock,
    logger,
    schedule: config.webhookRetrySchedule,
    owner: `${hostname()}:${process.pid}`,
    hmac: nodeHmac,
    foreground: () => inFlight.count,
    ...(options.webhookTimeoutMs !== undefined ? { timeoutMs: options.webhookTimeoutMs } : {}),
    ...(options.webhookMaxDeferMs !== undefined ? { maxDeferMs: options.webhookMaxDeferMs } : {}),
  });
  deps.onEvents = () => dispatcher.kick();
  if (options.startDispatcher !== false) dispatcher.start();

  // RETENTION_DAYS: clear IP hashes and delete rejected/spam comments past it, hourly and at start.
  let retentionTimer: ReturnType<typeof setInterval> | undefined;
  if (config.retentionDays !== null) {
    const days = config.retentionDays;
    const privacy = new PrivacyStore(store);
    const sweep = () =>
      deps.background(
        privacy.applyRetention(days, clock.now()).then((r) => logger.info('retention sweep', { days, ...r })),
      );
    sweep();
    retentionTimer = setInterval(sweep, 3_600_000);
    retentionTimer.unref();
    closers.unshift(() => clearInterval(retentionTimer));
  }

  const assets = await buildNodeAssets();
  const app = createApp(deps, { clientAddress: nodeClientAddress, assets });
  return {
    app,
    deps,
    dispatcher,
    async close() {
      // Deliveries in flight finish (or their leases lapse and another process retries them).
      await dispatcher.stop();
      await Promise.allSettled([...pending]);
      for (const close of closers) await close();
      await handle.close();
    },
  };
}

/** The socket's peer address, from @hono/node-server's bindings (absent in `app.request` tests). */
export function nodeClientAddress(c: AppContext): string | null {
  const env = c.env as { incoming?: { socket?: { remoteAddress?: string } } } | undefined;
  return env?.incoming?.socket?.remoteAddress ?? null;
}
