import { Miniflare } from 'miniflare';
import { Webhook } from 'standardwebhooks';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { D1Like } from '../../src/db/d1.ts';
import { applyD1Migrations, startWorker, workerBundle } from '../helpers/worker.ts';
import { type Receiver, startReceiver, status } from '../webhooks/receiver.ts';

const ADMIN = 'test-admin-token-0123456789abcdef';
const VARS = {
  SECRET_KEY: 'test-secret-key-0123456789abcdef0123456789',
  ADMIN_TOKEN: ADMIN,
  LOG_LEVEL: 'silent',
  WEBHOOK_ALLOW_PRIVATE: 'true',
  WEBHOOK_RETRY_SCHEDULE: '1s,1s',
  RATE_LIMIT_IP: 'off',
  RATE_LIMIT_AUTHOR: 'off',
  RATE_LIMIT_THREAD: 'off',
  RATE_LIMIT_GLOBAL: 'off',
};

function fetchVia(mf: Miniflare, path: string, init: RequestInit & { ip?: string } = {}): Promise<Response> {
  const headers = new Headers(init.headers);
  headers.set('cf-connecting-ip', init.ip ?? '203.0.113.9');
  return mf.dispatchFetch(`http://localhost${path}`, {
    ...(init as object),
    headers,
  } as never) as unknown as Promise<Response>;
}

function json(body: unknown, extra: Record<string, string> = {}): RequestInit {
  return { method: 'POST', headers: { 'content-type': 'application/json', ...extra }, body: JSON.stringify(body) };
}

describe('the Worker in workerd with D1', () => {
  let w: Awaited<ReturnType<typeof startWorker>>;
  let receiver: Receiver;
  beforeAll(async () => {
    [w, receiver] = await Promise.all([startWorker(VARS), startReceiver()]);
  });
  afterAll(async () => {
    await w?.mf.dispose();
    await receiver?.close();
  });

  it('serves the widget and the moderator page', async () => {
    const widget = await fetchVia(w.mf, '/widget.js');
    expect(widget.status).toBe(200);
    expect(widget.headers.get('content-type')).toContain('javascript');
    expect(await widget.text()).toContain('duyet-comments');
    const admin = await fetchVia(w.mf, '/admin');
    expect(admin.status).toBe(200);
    expect(admin.headers.get('content-security-policy')).toContain("script-src 'self'");
    expect((await fetchVia(w.mf, '/admin/app.js')).status).toBe(200);
  });

  it('delivers a signed comment.approved webhook right after an approval, via waitUntil', async () => {
    const created = await fetchVia(
      w.mf,
      '/api/v1/webhooks',
      json({ url: receiver.url, events: ['comment.approved'] }, { authorization: `Bearer ${ADMIN}` }),
    );
    expect(created.status).toBe(201);
    const { secret } = (await created.json()) as { secret: string };
    const post = await fetchVia(
      w.mf,
      '/api/v1/threads/w1/comments',
      json({ body: 'Một bình luận rất bình thường', authorName: 'Lan' }),
    );
    expect(post.status).toBe(201);
    const { comment } = (await post.json()) as { comment: { id: string } };
    const [got] = await receiver.waitFor(1, 10_000);
    const payload = new Webhook(secret).verify(got!.body, got!.headers as Record<string, string>) as {
      type: string;
      data: { comment: { id: string } };
    };
    expect(payload.type).toBe('comment.approved');
    expect(payload.data.comment.id).toBe(comment.id);
  });

  it('retries a failed delivery from the Cron Trigger with the same webhook-id', async () => {
    receiver.reset();
    receiver.reply(status(503));
    const post = await fetchVia(
      w.mf,
      '/api/v1/threads/w2/comments',
      json({ body: 'Bình luận thứ hai để thử lại', authorName: 'Hoa' }),
    );
    expect(post.status).toBe(201);
    await receiver.waitFor(1, 10_000);
    await new Promise((r) => setTimeout(r, 1300));
    const worker = await w.mf.getWorker();
    await worker.scheduled({ cron: '* * * * *' });
    const all = await receiver.waitFor(2, 10_000);
    expect(all[1]?.headers['webhook-id']).toBe(all[0]?.headers['webhook-id']);
  });
});

describe('rate limits on Workers', () => {
  it('hold across isolates that share the D1 database', async () => {
    const path = await workerBundle();
    const worker = (name: string) => ({
      name,
      modules: [{ type: 'ESModule' as const, path }],
      modulesRoot: process.cwd(),
      compatibilityDate: '2026-04-01',
      compatibilityFlags: ['nodejs_compat'],
      d1Databases: { DB: 'shared-db' },
      bindings: { ...VARS, RATE_LIMIT_IP: '2/1m' },
    });
    // Two Workers are two isolates; they share nothing but the D1 database.
    const mf = new Miniflare({ host: '127.0.0.1', port: 0, workers: [worker('a'), worker('b')] });
    try {
      await applyD1Migrations((await mf.getD1Database('DB', 'a')) as unknown as D1Like);
      const isolates = [await mf.getWorker('a'), await mf.getWorker('b')];
      const statuses: number[] = [];
      for (let i = 0; i < 4; i++) {
        const res = (await isolates[i % 2]!.fetch('http://localhost/api/v1/threads/rl/comments', {
          method: 'POST',
          headers: { 'content-type': 'application/json', 'cf-connecting-ip': '198.51.100.77' },
          body: JSON.stringify({ body: `Bình luận luân phiên thứ ${i}`, authorName: `N${i}` }),
        })) as unknown as Response;
        statuses.push(res.status);
        if (res.status === 429) expect(Number(res.headers.get('retry-after'))).toBeGreaterThan(0);
        await res.arrayBuffer();
      }
      expect(statuses).toEqual([201, 201, 429, 429]);
    } finally {
      await mf.dispose();
    }
  });
});
