import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadConfig } from '../../src/config.ts';
import type { Clock } from '../../src/core/types.ts';
import { silentLogger } from '../../src/lib/logger.ts';
import { createNodeService, type NodeService } from '../../src/runtime/node.ts';

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
  options: { clock?: Clock; dir?: string } = {},
): Promise<TestService> {
  const dir = options.dir ?? mkdtempSync(join(tmpdir(), 'duyet-test-'));
  const dbPath = join(dir, 'duyet.sqlite');
  const config = loadConfig({
    DATABASE_URL: `file:${dbPath}`,
    ADMIN_TOKEN,
    SECRET_KEY: 'test-secret-key-0123456789abcdef0123456789',
    LOG_LEVEL: 'silent',
    WEBHOOK_ALLOW_PRIVATE: 'true',
    ...env,
  });
  const service = await createNodeService(config, {
    logger: silentLogger,
    ...(options.clock ? { clock: options.clock } : {}),
  });
  const call: TestService['call'] = (method, path, opts = {}) => {
    const headers: Record<string, string> = { ...(opts.headers ?? {}) };
    let body: BodyInit | undefined = opts.raw;
    if (opts.body !== undefined) {
      body = JSON.stringify(opts.body);
      headers['content-type'] ??= 'application/json';
    }
    return Promise.resolve(
      service.app.request(
        path,
        { method, headers, ...(body !== undefined ? { body } : {}) },
        {
          incoming: { socket: { remoteAddress: opts.ip ?? '203.0.113.7' } },
        },
      ),
    );
  };
  return {
    ...service,
    dir,
    dbPath,
    call,
    admin: (method, path, body) =>
      call(method, path, {
        ...(body !== undefined ? { body } : {}),
        headers: { authorization: `Bearer ${ADMIN_TOKEN}` },
      }),
    async cleanup() {
      await service.close();
      if (!options.dir) rmSync(dir, { recursive: true, force: true });
    },
  };
}
