import { z } from 'zod';
import type { ModerationMode } from './core/policy.ts';
import type { Locale } from './core/types.ts';

/** One `points/window` pair, e.g. `5/1m`. */
export interface RateWindow {
  points: number;
  /** Window length in seconds. */
  seconds: number;
}

export interface RateLimitConfig {
  ip: RateWindow[];
  author: RateWindow[];
  thread: RateWindow[];
  global: RateWindow[];
  report: RateWindow[];
}

export interface Config {
  port: number;
  host: string;
  databaseUrl: string;
  redisUrl: string | null;
  /** Prefix of every key this deployment writes to Redis (several deployments may share one). */
  redisPrefix: string;
  adminToken: string | null;
  allowedOrigins: string[] | '*';
  /** `loopback`, CIDR strings, or null (the socket address is the client). */
  trustProxy: string[] | null;
  moderationMode: ModerationMode;
  defaultLocale: Locale;
  webhookAllowPrivate: boolean;
  rateLimits: RateLimitConfig;
  rateLimitStore: 'memory' | 'sqlite';
  webhookRetrySchedule: number[];
  logLevel: 'debug' | 'info' | 'warn' | 'error' | 'silent';
  minLength: number;
  maxLength: number;
  bodyLimitBytes: number;
  /** Secret for keyed hashes (client IPs) and for encrypting webhook secrets at rest. */
  secretKey: string | null;
  /** Same text within this many seconds from the same client or author is refused as a duplicate. */
  duplicateWindowSeconds: number;
  /** The same text in this many distinct threads within a day is held as spam. */
  duplicateThreadThreshold: number;
  reportThreshold: number;
  retentionDays: number | null;
  dbPoolSize: number;
}

const UNIT_SECONDS: Record<string, number> = { s: 1, m: 60, h: 3600, d: 86400 };

/** Parses `5s`, `5m`, `2h`, `1d` or a bare number of seconds. */
export function parseDuration(text: string): number {
  const m = /^(\d+(?:\.\d+)?)\s*([smhd]?)$/.exec(text.trim());
  if (!m) throw new Error(`"${text}" is not a duration like 30s, 5m, 2h or 1d`);
  return Number(m[1]) * (UNIT_SECONDS[m[2] || 's'] ?? 1);
}

/** Parses `5/1m,30/1h` or `off`. */
export function parseRateWindows(text: string): RateWindow[] {
  const trimmed = text.trim().toLowerCase();
  if (trimmed === 'off' || trimmed === '') return [];
  return trimmed.split(',').map((pair) => {
    const m = /^(\d+)\s*\/\s*(.+)$/.exec(pair.trim());
    if (!m) throw new Error(`"${pair}" is not a limit like 5/1m`);
    const points = Number(m[1]);
    const seconds = parseDuration(m[2] ?? '');
    if (points < 1 || seconds < 1) throw new Error(`"${pair}" needs at least 1 point and a window of 1s or more`);
    return { points, seconds };
  });
}

const bool = z
  .enum(['true', 'false', '1', '0', 'yes', 'no'])
  .transform((v) => v === 'true' || v === '1' || v === 'yes');

const schema = z.object({
  PORT: z.coerce.number().int().min(0).max(65535).default(8787),
  HOST: z.string().default('0.0.0.0'),
  DATABASE_URL: z.string().default('file:./data/duyet.sqlite'),
  REDIS_URL: z.string().url().optional(),
  REDIS_PREFIX: z
    .string()
    .regex(/^[\w:.-]{1,64}$/)
    .default('duyet'),
  ADMIN_TOKEN: z.string().min(16, 'ADMIN_TOKEN must be at least 16 characters').optional(),
  ALLOWED_ORIGINS: z.string().default('*'),
  TRUST_PROXY: z.string().optional(),
  MODERATION_MODE: z.enum(['post', 'pre']).default('post'),
  DEFAULT_LOCALE: z.enum(['vi', 'en']).default('vi'),
  WEBHOOK_ALLOW_PRIVATE: bool.default(false),
  RATE_LIMIT_IP: z.string().default('5/1m,30/1h'),
  RATE_LIMIT_AUTHOR: z.string().default('5/1m,30/1h'),
  RATE_LIMIT_THREAD: z.string().default('60/1m'),
  RATE_LIMIT_GLOBAL: z.string().default('600/1m'),
  RATE_LIMIT_REPORT: z.string().default('10/1m,50/1d'),
  RATE_LIMIT_STORE: z.enum(['memory', 'sqlite']).default('memory'),
  WEBHOOK_RETRY_SCHEDULE: z.string().default('5s,5m,30m,2h,5h,10h,10h'),
  LOG_LEVEL: z.enum(['debug', 'info', 'warn', 'error', 'silent']).default('info'),
  COMMENT_MIN_LENGTH: z.coerce.number().int().min(1).default(5),
  COMMENT_MAX_LENGTH: z.coerce.number().int().min(1).max(100_000).default(500),
  BODY_LIMIT: z.coerce
    .number()
    .int()
    .min(1024)
    .default(16 * 1024),
  SECRET_KEY: z.string().min(32, 'SECRET_KEY must be at least 32 characters').optional(),
  DUPLICATE_WINDOW: z.string().default('1h'),
  DUPLICATE_THREAD_THRESHOLD: z.coerce.number().int().min(2).default(3),
  REPORT_THRESHOLD: z.coerce.number().int().min(1).default(3),
  RETENTION_DAYS: z.coerce.number().int().min(1).optional(),
  DB_POOL_SIZE: z.coerce.number().int().min(1).max(200).default(10),
});

export class ConfigError extends Error {
  override name = 'ConfigError';
}

/** Parses and validates the environment once at start; a bad value throws naming the variable. */
export function loadConfig(env: Record<string, string | undefined>): Config {
  const cleaned = Object.fromEntries(Object.entries(env).filter(([, v]) => v !== undefined && v !== ''));
  const parsed = schema.safeParse(cleaned);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) => `  ${i.path.join('.')}: ${i.message}`);
    throw new ConfigError(`Invalid configuration:\n${lines.join('\n')}`);
  }
  const e = parsed.data;
  const field = <T>(name: string, fn: () => T): T => {
    try {
      return fn();
    } catch (err) {
      throw new ConfigError(`Invalid configuration:\n  ${name}: ${(err as Error).message}`);
    }
  };
  if (e.COMMENT_MIN_LENGTH > e.COMMENT_MAX_LENGTH) {
    throw new ConfigError('Invalid configuration:\n  COMMENT_MIN_LENGTH: must not exceed COMMENT_MAX_LENGTH');
  }
  return {
    port: e.PORT,
    host: e.HOST,
    databaseUrl: e.DATABASE_URL,
    redisUrl: e.REDIS_URL ?? null,
    redisPrefix: e.REDIS_PREFIX,
    adminToken: e.ADMIN_TOKEN ?? null,
    allowedOrigins:
      e.ALLOWED_ORIGINS.trim() === '*'
        ? '*'
        : e.ALLOWED_ORIGINS.split(',')
            .map((o) => o.trim().replace(/\/$/, ''))
            .filter(Boolean),
    trustProxy: e.TRUST_PROXY
      ? e.TRUST_PROXY.split(',')
          .map((s) => s.trim())
          .filter(Boolean)
      : null,
    moderationMode: e.MODERATION_MODE,
    defaultLocale: e.DEFAULT_LOCALE,
    webhookAllowPrivate: e.WEBHOOK_ALLOW_PRIVATE,
    rateLimits: {
      ip: field('RATE_LIMIT_IP', () => parseRateWindows(e.RATE_LIMIT_IP)),
      author: field('RATE_LIMIT_AUTHOR', () => parseRateWindows(e.RATE_LIMIT_AUTHOR)),
      thread: field('RATE_LIMIT_THREAD', () => parseRateWindows(e.RATE_LIMIT_THREAD)),
      global: field('RATE_LIMIT_GLOBAL', () => parseRateWindows(e.RATE_LIMIT_GLOBAL)),
      report: field('RATE_LIMIT_REPORT', () => parseRateWindows(e.RATE_LIMIT_REPORT)),
    },
    rateLimitStore: e.RATE_LIMIT_STORE,
    webhookRetrySchedule: field('WEBHOOK_RETRY_SCHEDULE', () =>
      e.WEBHOOK_RETRY_SCHEDULE.split(',').map((d) => parseDuration(d) * 1000),
    ),
    logLevel: e.LOG_LEVEL,
    minLength: e.COMMENT_MIN_LENGTH,
    maxLength: e.COMMENT_MAX_LENGTH,
    bodyLimitBytes: e.BODY_LIMIT,
    secretKey: e.SECRET_KEY ?? null,
    duplicateWindowSeconds: field('DUPLICATE_WINDOW', () => parseDuration(e.DUPLICATE_WINDOW)),
    duplicateThreadThreshold: e.DUPLICATE_THREAD_THRESHOLD,
    reportThreshold: e.REPORT_THRESHOLD,
    retentionDays: e.RETENTION_DAYS ?? null,
    dbPoolSize: e.DB_POOL_SIZE,
  };
}
