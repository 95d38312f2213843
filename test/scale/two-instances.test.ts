import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { migrations } from '../../migrations/index.ts';
import { freshPostgresDatabase } from '../helpers/postgres.ts';
import { startTestService, type TestService } from '../helpers/service.ts';
import { type Receiver, sleep, startReceiver } from '../webhooks/receiver.ts';

const REDIS_URL = process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';

describe('two instances on one PostgreSQL and one Redis', () => {
  let database: Awaited<ReturnType<typeof freshPostgresDatabase>>;
  let a: TestService;
  let b: TestService;
  const env = () => ({
    DATABASE_URL: database.url,
    REDIS_URL,
    REDIS_PREFIX: prefix,
    RATE_LIMIT_IP: '3/1m',
    RATE_LIMIT_AUTHOR: 'off',
    MODERATION_MODE: 'pre',
    RATE_LIMIT_THREAD: 'off',
    RATE_LIMIT_GLOBAL: 'off',
  });
  const prefix = `scale-${Date.now().toString(36)}`;

  beforeAll(async () => {
    database = await freshPostgresDatabase();
    // Both start at once on an empty database: the migrator's lock lets exactly one migrate.
    [a, b] = await Promise.all([startTestService(env()), startTestService(env())]);
  });
  afterAll(async () => {
    await a?.cleanup();
    await b?.cleanup();
    await database?.drop();
  });

  it('migrates once when both start together', async () => {
    const rows = await a.deps.store.db
      .selectFrom('kysely_migration' as never)
      .select('name' as never)
      .execute();
    expect(rows.map((r) => (r as { name: string }).name).sort()).toEqual(Object.keys(migrations).sort());
  });

  it('limits a client alternating between the instances once, not once per instance', async () => {
    const statuses: number[] = [];
    for (let i = 0; i < 6; i++) {
      const s = i % 2 === 0 ? a : b;
      const res = await s.call('POST', '/api/v1/threads/scale/comments', {
        body: { body: `Bình luận luân phiên số ${i}`, authorName: `Bạn ${i}` },
        ip: '203.0.113.200',
      });
      statuses.push(res.status);
    }
    expect(statuses).toEqual([202, 202, 202, 429, 429, 429]);
  });

  it('shows what one instance wrote through the other', async () => {
    const res = await a.call('POST', '/api/v1/threads/shared/comments', {
      body: { body: 'Viết ở máy A, duyệt ở máy B', authorName: 'A' },
      ip: '203.0.113.201',
    });
    const { comment } = (await res.json()) as { comment: { id: string } };
    expect((await b.admin('POST', `/api/v1/moderation/comments/${comment.id}/approve`)).status).toBe(200);
    const list = (await (await a.call('GET', '/api/v1/threads/shared/comments')).json()) as {
      comments: { id: string }[];
    };
    expect(list.comments.map((c) => c.id)).toEqual([comment.id]);
  });

  it('delivers each of 50 approvals spread across both instances exactly once', async () => {
    const receiver: Receiver = await startReceiver();
    try {
      const hook = await a.admin('POST', '/api/v1/webhooks', { url: receiver.url, events: ['comment.approved'] });
      expect(hook.status).toBe(201);
      const ids: string[] = [];
      for (let i = 0; i < 50; i++) {
        const res = await (i % 2 ? a : b).call('POST', `/api/v1/threads/hooks-${i % 5}/comments`, {
          body: { body: `Bình luận chờ duyệt để gửi webhook số ${i}`, authorName: `Độc giả ${i}` },
          ip: `198.51.100.${i + 1}`,
        });
        expect(res.status).toBe(202);
        ids.push(((await res.json()) as { comment: { id: string } }).comment.id);
      }
      await Promise.all(
        ids.map(async (id, i) => {
          const res = await (i % 2 ? b : a).admin('POST', `/api/v1/moderation/comments/${id}/approve`);
          expect(res.status).toBe(200);
        }),
      );
      const got = await receiver.waitFor(50, 30_000);
      // Let both instances poll again: nothing more may arrive.
      await sleep(2500);
      const commentIds = got.map((r) => (JSON.parse(r.body) as { data: { comment: { id: string } } }).data.comment.id);
      expect(got).toHaveLength(50);
      expect(new Set(got.map((r) => r.headers['webhook-id'])).size).toBe(50);
      expect(commentIds.sort()).toEqual(ids.slice().sort());
    } finally {
      await receiver.close();
    }
  });

  it('reports the database and Redis in health', async () => {
    const res = await b.call('GET', '/healthz');
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ status: 'ok', checks: { database: 'ok', redis: 'ok' } });
  });
});

describe('when Redis is unreachable', () => {
  it('reports it in health and keeps limiting in memory', async () => {
    const s = await startTestService({
      REDIS_URL: 'redis://127.0.0.1:1',
      RATE_LIMIT_IP: '1/1m',
      RATE_LIMIT_AUTHOR: 'off',
      RATE_LIMIT_THREAD: 'off',
      RATE_LIMIT_GLOBAL: 'off',
    });
    try {
      const health = await s.call('GET', '/healthz');
      expect(health.status).toBe(503);
      expect(await health.json()).toMatchObject({ status: 'unavailable', checks: { database: 'ok', redis: 'down' } });
      const post = (i: number) =>
        s.call('POST', '/api/v1/threads/no-redis/comments', {
          body: { body: `Vẫn nhận bình luận khi Redis hỏng ${i}`, authorName: 'C' },
          ip: '203.0.113.250',
        });
      expect((await post(1)).status).toBe(201);
      expect((await post(2)).status).toBe(429);
    } finally {
      await s.cleanup();
    }
  });
});
