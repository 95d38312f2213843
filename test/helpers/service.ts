import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadConfig } from '../../src/config.ts';
import type { Clock } from '../../src/core/types.ts';
import { systemClock } from '../../src/core/types.ts';
import { openD1 } from '../../src/db/d1.ts';
import { Store } from '../../src/db/store.ts';
import { silentLogger } from '../../src/lib/logger.ts';
import { createNodeService, type NodeService, type NodeServiceOptions } from '../../src/runtime/node.ts';
import type { AppDeps } from '../../src/services/deps.ts';
import { freshPostgresDatabase } from './postgres.ts';
import { startWorker } from './worker.ts';

export { ManualClock } from './clock.ts';

export const ADMIN_TOKEN = 'test-admin-token-0123456789abcdef';

export interface TestService extends NodeService {
  dir: string;
  dbPath: string;
  /** `app.request` with a JSON body and a client address as the socket would give it. */
  call(
    method: string,
    path: string,
    opts?: { body?: unknown; headers?: Record<string, string>; ip?: string; raw?: BodyInit },
  ): Promise<Response>;
  admin(method: string, path: string, body?: unknown): Promise<Response>;
  cleanup(): Promise<void>;
}

/**
 * A real service on a fresh SQLite file in a temp dir, driven through `app.request` (no port).
 * Pass `env` to override configuration as the environment would.
 */
export async function startTestService(
  env: Record<string, string> = {},
  options: { clock?: Clock; dir?: string; node?: Omit<NodeServiceOptions, 'clock' | 'logger'> } = {},
): Promise<TestService> {
  if (process.env.TEST_BACKEND === 'worker') return startWorkerTestService(env);
  const dir = options.dir ?? mkdtempSync(join(tmpdir(), 'duyet-test-'));
  const dbPath = join(dir, 'duyet.sqlite');
  // The same API suites run on PostgreSQL + Redis when the vitest project sets TEST_BACKEND.
  let dropDatabase: (() => Promise<void>) | null = null;
  const backend: Record<string, string> = {};
  if (process.env.TEST_BACKEND === 'postgres' && !env.DATABASE_URL) {
    const database = await freshPostgresDatabase();
    dropDatabase = database.drop;
    backend.DATABASE_URL = database.url;
    backend.REDIS_URL = process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';
    backend.REDIS_PREFIX = `test-${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 8)}`;
  }
  const config = loadConfig({
    DATABASE_URL: `file:${dbPath}`,
    ...backend,
    ADMIN_TOKEN,
    SECRET_KEY: 'test-secret-key-0123456789abcdef0123456789',
    LOG_LEVEL: 'silent',
    WEBHOOK_ALLOW_PRIVATE: 'true',
    ...env,
  });
  const service = await createNodeService(config, {
    logger: silentLogger,
    ...options.node,
    ...(options.clock ? { clock: options.clock } : {}),
  });
  const call: TestService['call'] = (method, path, opts = {}) => {
    return Promise.resolve(
      service.app.request(path, requestInit(method, opts), {
        incoming: { socket: { remoteAddress: opts.ip ?? '203.0.113.7' } },
      }),
    );
  };
  return {
    ...service,
    dir,
    dbPath,
    call,
    admin: asAdmin(call),
    async cleanup() {
      await service.close();
      await dropDatabase?.();
      if (!options.dir) rmSync(dir, { recursive: true, force: true });
    },
  };
}

/**
 * The same suites against the real Worker in workerd with a local D1 (TEST_BACKEND=worker): requests go
 * through Miniflare, and `deps.store` reads the same D1 database from the test process.
 */
async function startWorkerTestService(env: Record<string, string>): Promise<TestService> {
  const vars: Record<string, string> = {
    ADMIN_TOKEN,
    SECRET_KEY: 'test-secret-key-0123456789abcdef0123456789',
    LOG_LEVEL: 'silent',
    WEBHOOK_ALLOW_PRIVATE: 'true',
    ...env,
  };
  const { mf, d1 } = await startWorker(vars);
  const config = loadConfig(vars);
  const store = new Store(openD1(d1), systemClock);
  const request = (path: string, init: RequestInit = {}, ip = '203.0.113.7') => {
    const headers = new Headers(init.headers);
    if (!headers.has('cf-connecting-ip')) headers.set('cf-connecting-ip', ip);
    return mf.dispatchFetch(`http://localhost${path}`, {
      ...(init as Record<string, unknown>),
      headers,
    } as never) as unknown as Promise<Response>;
  };
  const call: TestService['call'] = (method, path, opts = {}) => {
    return request(path, requestInit(method, opts), opts.ip);
  };
  const unavailable = () => {
    throw new Error('not available on the Worker backend');
  };
  return {
    app: { request: (path: string, init?: RequestInit) => request(path, init) } as unknown as TestService['app'],
    deps: { config, store, clock: systemClock } as AppDeps,
    dispatcher: { kick: unavailable, runOnce: unavailable, start: unavailable, stop: unavailable },
    dir: '',
    dbPath: '',
    call,
    admin: asAdmin(call),
    async close() {
      await mf.dispose();
    },
    async cleanup() {
      await mf.dispose();
    },
  };
}

/** The same call with the bootstrap admin key. */
function asAdmin(call: TestService['call']): TestService['admin'] {
  return (method, path, body) =>
    call(method, path, {
      ...(body !== undefined ? { body } : {}),
      headers: { authorization: `Bearer ${ADMIN_TOKEN}` },
    });
}

/** A request with `body` sent as JSON (or `raw` as given) and the caller's headers. */
function requestInit(method: string, opts: Parameters<TestService['call']>[2] = {}): RequestInit {
  const headers: Record<string, string> = { ...(opts.headers ?? {}) };
  let body: BodyInit | undefined = opts.raw;
  if (opts.body !== undefined) {
    body = JSON.stringify(opts.body);
    headers['content-type'] ??= 'application/json';
  }
  return { method, headers, ...(body !== undefined ? { body } : {}) };
}
