import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { startReceiver } from '../webhooks/receiver.ts';

/**
 * "Nothing acknowledged is lost": under concurrent write load the server is killed with SIGKILL three
 * times and restarted on the same data. Every comment that got a 201/202 must be there with its exact
 * body, and every approval event recorded before a crash must reach a webhook receiver that was down
 * the whole time, once it comes up.
 */

const ROOT = resolve(import.meta.dirname, '..', '..');
const ADMIN = 'crash-admin-token-0123456789abcdef';
const dir = mkdtempSync(join(tmpdir(), 'duyet-crash-'));
const children: ChildProcess[] = [];

afterAll(() => {
  for (const c of children) if (c.exitCode === null) c.kill('SIGKILL');
  rmSync(dir, { recursive: true, force: true });
});

async function freePort(): Promise<number> {
  return new Promise((r) => {
    const srv = createServer().listen(0, '127.0.0.1', () => {
      const { port } = srv.address() as { port: number };
      srv.close(() => r(port));
    });
  });
}

async function start(port: number): Promise<ChildProcess> {
  // One process (node --import tsx), so SIGKILL kills the server itself, not a wrapper.
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/runtime/node-main.ts'], {
    cwd: ROOT,
    env: {
      ...process.env,
      PORT: String(port),
      HOST: '127.0.0.1',
      DATABASE_URL: `file:${join(dir, 'duyet.sqlite')}`,
      ADMIN_TOKEN: ADMIN,
      SECRET_KEY: 'crash-secret-key-0123456789abcdef0123456789',
      LOG_LEVEL: 'warn',
      WEBHOOK_ALLOW_PRIVATE: 'true',
      WEBHOOK_RETRY_SCHEDULE: Array.from({ length: 60 }, () => '1s').join(','),
      RATE_LIMIT_IP: 'off',
      RATE_LIMIT_AUTHOR: 'off',
      RATE_LIMIT_THREAD: 'off',
      RATE_LIMIT_GLOBAL: 'off',
      DUPLICATE_WINDOW: '1s',
    },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  children.push(child);
  const deadline = Date.now() + 30_000;
  while (Date.now() < deadline) {
    try {
      if ((await fetch(`http://127.0.0.1:${port}/healthz`)).status === 200) return child;
    } catch {
      // starting
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error('server did not start');
}

describe('crash safety', () => {
  it('loses no acknowledged comment and no recorded approval event across three SIGKILLs', async () => {
    const port = await freePort();
    const hookPort = await freePort();
    const base = `http://127.0.0.1:${port}`;
    let server = await start(port);
    const hook = await fetch(`${base}/api/v1/webhooks`, {
      method: 'POST',
      headers: { authorization: `Bearer ${ADMIN}`, 'content-type': 'application/json' },
      body: JSON.stringify({ url: `http://127.0.0.1:${hookPort}/hook`, events: ['comment.approved'] }),
    });
    expect(hook.status).toBe(201);
    const { secret } = (await hook.json()) as { secret: string };
    expect(secret).toMatch(/^whsec_/);

    const acknowledged = new Map<string, { body: string; status: number }>();
    let n = 0;
    for (let round = 0; round < 3; round++) {
      let stop = false;
      const writer = async () => {
        while (!stop) {
          n++;
          const body = `Bình luận số ${n} ở vòng ${round} – kiểm tra độ bền ${'ệ'.repeat(n % 7)} #${n}`;
          try {
            const res = await fetch(`${base}/api/v1/threads/crash-${n % 13}/comments`, {
              method: 'POST',
              headers: { 'content-type': 'application/json' },
              body: JSON.stringify({ body, authorName: `Người viết ${n}` }),
            });
            if (res.status === 201 || res.status === 202) {
              const { comment } = (await res.json()) as { comment: { id: string } };
              acknowledged.set(comment.id, { body, status: res.status });
            } else {
              await res.arrayBuffer();
            }
          } catch {
            return; // the server died under us: requests in flight were never acknowledged
          }
        }
      };
      const writers = Array.from({ length: 16 }, writer);
      await new Promise((r) => setTimeout(r, 1200));
      server.kill('SIGKILL');
      stop = true;
      await Promise.all(writers);
      if (server.exitCode === null && server.signalCode === null) await new Promise((r) => server.on('exit', r));
      server = await start(port);
    }
    expect(acknowledged.size).toBeGreaterThan(100);
    console.log(`crash test: ${acknowledged.size} comments acknowledged across 3 SIGKILLs`);

    // Every acknowledged comment is there, with the exact body.
    for (const [id, { body }] of acknowledged) {
      const res = await fetch(`${base}/api/v1/moderation/comments/${id}`, {
        headers: { authorization: `Bearer ${ADMIN}` },
      });
      expect(res.status, id).toBe(200);
      const { comment } = (await res.json()) as { comment: { body: string } };
      expect(comment.body).toBe(body);
    }

    // The receiver comes up only now; every approval recorded so far must arrive.
    const approvedRes = await fetch(`${base}/api/v1/moderation/stats`, {
      headers: { authorization: `Bearer ${ADMIN}` },
    });
    const { counts } = (await approvedRes.json()) as { counts: { approved: number } };
    const published = [...acknowledged.values()].filter((a) => a.status === 201).length;
    expect(counts.approved).toBeGreaterThanOrEqual(published);
    const receiver = await startReceiver(hookPort);
    try {
      const got = await receiver.waitFor(counts.approved, 60_000);
      const commentIds = new Set(
        got.map((r) => (JSON.parse(r.body) as { data: { comment: { id: string } } }).data.comment.id),
      );
      for (const [id, a] of acknowledged) if (a.status === 201) expect(commentIds.has(id), id).toBe(true);
      expect(commentIds.size).toBe(counts.approved);
    } finally {
      await receiver.close();
      server.kill('SIGTERM');
    }
  }, 180_000);
});
