import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { scratch } from '../helpers/scratch.ts';

const ROOT = resolve(import.meta.dirname, '..', '..');
const TSX = join(ROOT, 'node_modules', 'tsx', 'dist', 'cli.mjs');
const { tempDir, track } = scratch('duyet-proc-');

/** Starts `npm start`'s entry point on a free port; resolves with its URL from the first log line. */
function startServer(env: Record<string, string>): Promise<{ url: string; child: ChildProcess; logs: string[] }> {
  const child = spawn(process.execPath, [TSX, 'src/runtime/node-main.ts'], {
    cwd: ROOT,
    env: { ...process.env, PORT: '0', HOST: '127.0.0.1', LOG_LEVEL: 'info', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  track(child);
  const logs: string[] = [];
  return new Promise((resolvePromise, reject) => {
    const timer = setTimeout(() => reject(new Error(`server did not start:\n${logs.join('\n')}`)), 30_000);
    let buffer = '';
    child.stdout?.on('data', (chunk: Buffer) => {
      buffer += chunk.toString();
      let i = buffer.indexOf('\n');
      while (i >= 0) {
        const line = buffer.slice(0, i);
        buffer = buffer.slice(i + 1);
        logs.push(line);
        try {
          const entry = JSON.parse(line) as { msg?: string; port?: number };
          if (entry.msg === 'listening') {
            clearTimeout(timer);
            resolvePromise({ url: `http://127.0.0.1:${entry.port}`, child, logs });
          }
        } catch {
          // not JSON
        }
        i = buffer.indexOf('\n');
      }
    });
    child.stderr?.on('data', (chunk: Buffer) => logs.push(chunk.toString()));
    child.on('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`server exited with ${code}:\n${logs.join('\n')}`));
    });
  });
}

function exited(child: ChildProcess): Promise<number | null> {
  return new Promise((r) => (child.exitCode !== null ? r(child.exitCode) : child.on('exit', (code) => r(code))));
}

describe('the Node server process', () => {
  it('serves, creates and migrates its SQLite file, and keeps every comment across a graceful restart', async () => {
    const dir = tempDir();
    const env = { DATABASE_URL: `file:${join(dir, 'data', 'duyet.sqlite')}`, RATE_LIMIT_IP: 'off' };
    const first = await startServer(env);
    expect(statSync(join(dir, 'data', 'duyet.sqlite')).size).toBeGreaterThan(0);
    const health = await fetch(`${first.url}/healthz`);
    expect(health.status).toBe(200);
    const ids: string[] = [];
    for (let i = 0; i < 5; i++) {
      const res = await fetch(`${first.url}/api/v1/threads/restart/comments`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ body: `Bình luận trước khi khởi động lại ${i}`, authorName: `Người ${i}` }),
      });
      expect(res.status).toBe(201);
      ids.push(((await res.json()) as { comment: { id: string } }).comment.id);
    }
    first.child.kill('SIGTERM');
    expect(await exited(first.child)).toBe(0);
    expect(first.logs.some((l) => l.includes('"msg":"stopped"'))).toBe(true);

    const second = await startServer(env);
    const list = (await (await fetch(`${second.url}/api/v1/threads/restart/comments?order=oldest`)).json()) as {
      comments: { id: string; body: string }[];
      total: number;
    };
    expect(list.total).toBe(5);
    expect(list.comments.map((c) => c.id)).toEqual(ids);
    expect(list.comments[0]?.body).toBe('Bình luận trước khi khởi động lại 0');
    second.child.kill('SIGTERM');
    expect(await exited(second.child)).toBe(0);
  });

  it('refuses to start with a clear message on a bad configuration value', () => {
    const res = spawnSync(process.execPath, [TSX, 'src/runtime/node-main.ts'], {
      cwd: ROOT,
      env: {
        ...process.env,
        RATE_LIMIT_IP: '5 per minute',
        PORT: '0',
        DATABASE_URL: `file:${join(tempDir(), 'x.sqlite')}`,
      },
      encoding: 'utf8',
      timeout: 30_000,
    });
    expect(res.status).toBe(2);
    expect(res.stderr).toContain('RATE_LIMIT_IP');
    expect(res.stderr).toContain('is not a limit like 5/1m');
  });

  it('creates a key from the command line that then works against the API', async () => {
    const dir = tempDir();
    const env = { ...process.env, DATABASE_URL: `file:${join(dir, 'duyet.sqlite')}` };
    const created = spawnSync(
      process.execPath,
      [TSX, 'scripts/keys.ts', 'create', '--name', 'Desk', '--role', 'moderator', '--json'],
      {
        cwd: ROOT,
        env,
        encoding: 'utf8',
        timeout: 30_000,
      },
    );
    expect(created.status).toBe(0);
    const { secret, key } = JSON.parse(created.stdout) as { secret: string; key: { role: string } };
    expect(key.role).toBe('moderator');
    const server = await startServer({ DATABASE_URL: env.DATABASE_URL });
    const ok = await fetch(`${server.url}/api/v1/moderation/stats`, { headers: { authorization: `Bearer ${secret}` } });
    expect(ok.status).toBe(200);
    const bad = spawnSync(process.execPath, [TSX, 'scripts/keys.ts', 'create', '--name', 'X', '--role', 'owner'], {
      cwd: ROOT,
      env,
      encoding: 'utf8',
    });
    expect(bad.status).toBe(2);
    server.child.kill('SIGTERM');
    await exited(server.child);
  });
});
