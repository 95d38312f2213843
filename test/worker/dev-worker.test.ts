import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';

const ROOT = resolve(import.meta.dirname, '..', '..');
const persist = mkdtempSync(join(tmpdir(), 'duyet-dev-worker-'));
let child: ChildProcess | undefined;

afterAll(() => {
  // wrangler dev starts a process tree: stop the whole group.
  if (child?.pid) {
    try {
      process.kill(-child.pid, 'SIGKILL');
    } catch {
      // already gone
    }
  }
  rmSync(persist, { recursive: true, force: true });
});

async function waitForHealth(url: string, logs: string[], ms = 90_000): Promise<void> {
  const deadline = Date.now() + ms;
  while (Date.now() < deadline) {
    try {
      const res = await fetch(`${url}/healthz`);
      if (res.status === 200) return;
    } catch {
      // not up yet
    }
    await new Promise((r) => setTimeout(r, 500));
  }
  throw new Error(`wrangler dev did not answer:\n${logs.join('')}`);
}

describe('npm run dev:worker', () => {
  it('serves the API, widget and moderator page from local workerd + D1, passing wrangler flags through', async () => {
    const port = 18_000 + Math.floor(Math.random() * 2000);
    const logs: string[] = [];
    child = spawn(
      process.execPath,
      [
        join(ROOT, 'node_modules', 'tsx', 'dist', 'cli.mjs'),
        'scripts/dev-worker.ts',
        '--port',
        String(port),
        '--ip',
        '127.0.0.1',
        '--persist-to',
        persist,
        '--var',
        'ADMIN_TOKEN:dev-admin-token-0123456789',
        '--var',
        'SECRET_KEY:dev-secret-key-0123456789abcdef0123456789',
      ],
      { cwd: ROOT, detached: true, stdio: ['ignore', 'pipe', 'pipe'] },
    );
    child.stdout?.on('data', (d: Buffer) => logs.push(d.toString()));
    child.stderr?.on('data', (d: Buffer) => logs.push(d.toString()));
    const url = `http://127.0.0.1:${port}`;
    await waitForHealth(url, logs);

    const post = await fetch(`${url}/api/v1/threads/dev/comments`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ body: 'Bình luận chạy trên workerd', authorName: 'Dev' }),
    });
    expect(post.status).toBe(201);
    const list = (await (await fetch(`${url}/api/v1/threads/dev/comments`)).json()) as { total: number };
    expect(list.total).toBe(1);
    const stats = await fetch(`${url}/api/v1/moderation/stats`, {
      headers: { authorization: 'Bearer dev-admin-token-0123456789' },
    });
    expect(stats.status).toBe(200);
    expect((await fetch(`${url}/widget.js`)).status).toBe(200);
    expect((await fetch(`${url}/admin`)).status).toBe(200);
  }, 120_000);
});
