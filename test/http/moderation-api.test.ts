import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ModeratedComment } from '../../src/core/types.ts';
import { sha256Hex } from '../../src/lib/crypto.ts';
import { ADMIN_TOKEN, startTestService, type TestService } from '../helpers/service.ts';

const OFF = { RATE_LIMIT_IP: 'off', RATE_LIMIT_AUTHOR: 'off', RATE_LIMIT_THREAD: 'off', RATE_LIMIT_GLOBAL: 'off' };

let s: TestService;
let moderatorKey: string;
let moderatorId: string;
beforeAll(async () => {
  s = await startTestService({ ...OFF, MODERATION_MODE: 'pre' });
  // Events are recorded only for types an enabled endpoint takes; this one takes all (its deliveries
  // fail against a closed port and wait for their retry, which these tests never reach).
  const hook = await s.admin('POST', '/api/v1/webhooks', { url: 'http://127.0.0.1:9/duyet', events: ['*'] });
  expect(hook.status).toBe(201);
  const res = await s.admin('POST', '/api/v1/keys', { name: 'Bàn biên tập', role: 'moderator' });
  expect(res.status).toBe(201);
  const json = (await res.json()) as { key: { id: string; role: string }; secret: string };
  moderatorKey = json.secret;
  moderatorId = json.key.id;
});
afterAll(async () => {
  await s.cleanup();
});

/** The key with its last character changed (always to a different one). */
function nearMiss(key: string): string {
  return `${key.slice(0, -1)}${key.endsWith('A') ? 'B' : 'A'}`;
}

function as(key: string | null, method: string, path: string, body?: unknown) {
  return s.call(method, path, {
    ...(body !== undefined ? { body } : {}),
    headers: key ? { authorization: `Bearer ${key}` } : {},
  });
}

let n = 0;
async function held(thread = 'mod-thread', body?: string): Promise<string> {
  n++;
  const res = await s.call('POST', `/api/v1/threads/${thread}/comments`, {
    body: { body: body ?? `Bình luận chờ duyệt số ${n}`, authorName: `Độc giả ${n}`, authorEmail: `d${n}@example.com` },
    ip: `192.0.2.${n % 250}`,
  });
  expect(res.status).toBe(202);
  return ((await res.json()) as { comment: { id: string } }).comment.id;
}

describe('auth', () => {
  const routes: [string, string, unknown?][] = [
    ['GET', '/api/v1/moderation/comments'],
    ['GET', '/api/v1/moderation/stats'],
    ['GET', '/api/v1/moderation/comments/01ARZ3NDEKTSV4RRFFQ69G5FAV'],
    ['POST', '/api/v1/moderation/comments/01ARZ3NDEKTSV4RRFFQ69G5FAV/approve', {}],
    ['POST', '/api/v1/moderation/comments/bulk', { action: 'approve', ids: ['x'] }],
    ['POST', '/api/v1/check', { body: 'xin chào các bạn' }],
    ['GET', '/api/v1/keys'],
    ['POST', '/api/v1/keys', { name: 'x', role: 'admin' }],
    ['DELETE', '/api/v1/keys/abc'],
  ];

  it('refuses every moderator and admin route without a key, with a wrong key and with a near miss', async () => {
    for (const [method, path, body] of routes) {
      for (const key of [null, 'wrong', `${ADMIN_TOKEN}x`, ADMIN_TOKEN.slice(0, -1), nearMiss(moderatorKey)]) {
        const res = await as(key, method, path, body);
        expect(res.status, `${method} ${path} with ${key}`).toBe(401);
        expect(((await res.json()) as { error: { code: string } }).error.code).toBe('UNAUTHORIZED');
      }
    }
  });

  it('refuses a malformed Authorization header', async () => {
    for (const header of ['Basic abc', 'Bearer', `Token ${ADMIN_TOKEN}`]) {
      const res = await s.call('GET', '/api/v1/moderation/stats', { headers: { authorization: header } });
      expect(res.status).toBe(401);
    }
  });

  it('does not let a moderator key do admin work', async () => {
    for (const [method, path, body] of routes.slice(6)) {
      const res = await as(moderatorKey, method, path, body);
      expect(res.status, `${method} ${path}`).toBe(403);
      expect(((await res.json()) as { error: { code: string; message: string } }).error).toMatchObject({
        code: 'FORBIDDEN',
        message: 'Khóa truy cập này không có quyền thực hiện thao tác này',
      });
    }
  });

  it('lets a moderator key moderate', async () => {
    const res = await as(moderatorKey, 'GET', '/api/v1/moderation/stats');
    expect(res.status).toBe(200);
  });
});

describe('API keys', () => {
  it('shows a secret once and stores only its hash', async () => {
    const res = await s.admin('POST', '/api/v1/keys', { name: 'Temp', role: 'admin' });
    const { key, secret } = (await res.json()) as { key: { id: string; name: string; role: string }; secret: string };
    expect(secret).toMatch(/^duyet_[A-Za-z0-9_-]{43}$/);
    expect(key).toMatchObject({ name: 'Temp', role: 'admin' });
    const rows = await s.deps.store.db.selectFrom('api_keys').selectAll().execute();
    const dump = JSON.stringify(rows);
    expect(dump).not.toContain(secret);
    expect(dump).toContain(await sha256Hex(secret));
    const list = (await (await s.admin('GET', '/api/v1/keys')).json()) as { keys: { id: string }[] };
    expect(JSON.stringify(list)).not.toContain(secret);
    expect(list.keys.map((k) => k.id)).toContain(key.id);
    // The new admin key works, then stops working once deleted.
    expect((await as(secret, 'GET', '/api/v1/keys')).status).toBe(200);
    expect((await s.admin('DELETE', `/api/v1/keys/${key.id}`)).status).toBe(204);
    expect((await as(secret, 'GET', '/api/v1/keys')).status).toBe(401);
    expect((await s.admin('DELETE', `/api/v1/keys/${key.id}`)).status).toBe(404);
  });

  it('validates key creation', async () => {
    const res = await s.admin('POST', '/api/v1/keys', { name: '', role: 'owner' });
    expect(res.status).toBe(422);
  });
});

describe('queue and decisions', () => {
  it('lists pending comments oldest first with reasons, email and score', async () => {
    const thread = `q-${Date.now()}`;
    const a = await held(thread);
    const b = await held(thread);
    const res = await as(moderatorKey, 'GET', `/api/v1/moderation/comments?status=pending&threadId=${thread}`);
    expect(res.status).toBe(200);
    const { comments, nextCursor } = (await res.json()) as { comments: ModeratedComment[]; nextCursor: string | null };
    expect(comments.map((c) => c.id)).toEqual([a, b]);
    expect(nextCursor).toBeNull();
    expect(comments[0]).toMatchObject({
      status: 'pending',
      authorEmail: expect.stringMatching(/@example\.com$/),
      reasons: [{ code: 'PREMODERATION', rule: 'policy' }],
      score: expect.any(Number),
      decidedAt: null,
      decidedBy: null,
    });
  });

  it('filters by reason and text, and pages with a cursor', async () => {
    const thread = `f-${Date.now()}`;
    const ids = [await held(thread, 'Giá xăng hôm nay tăng mạnh'), await held(thread), await held(thread)];
    const byText = (await (
      await as(moderatorKey, 'GET', `/api/v1/moderation/comments?threadId=${thread}&q=x%C4%83ng`)
    ).json()) as {
      comments: { id: string }[];
    };
    expect(byText.comments.map((c) => c.id)).toEqual([ids[0]]);
    const byReason = (await (
      await as(moderatorKey, 'GET', `/api/v1/moderation/comments?threadId=${thread}&reason=PREMODERATION`)
    ).json()) as { comments: { id: string }[] };
    expect(byReason.comments).toHaveLength(3);
    const p1 = (await (
      await as(moderatorKey, 'GET', `/api/v1/moderation/comments?threadId=${thread}&limit=2`)
    ).json()) as {
      comments: { id: string }[];
      nextCursor: string;
    };
    const p2 = (await (
      await as(moderatorKey, 'GET', `/api/v1/moderation/comments?threadId=${thread}&limit=2&cursor=${p1.nextCursor}`)
    ).json()) as { comments: { id: string }[]; nextCursor: string | null };
    expect([...p1.comments, ...p2.comments].map((c) => c.id)).toEqual(ids);
    expect(p2.nextCursor).toBeNull();
  });

  it('refuses bad queue parameters with 422', async () => {
    for (const q of ['status=deleted', 'limit=0', 'limit=201', 'cursor=@@', 'reason=lower']) {
      const res = await as(moderatorKey, 'GET', `/api/v1/moderation/comments?${q}`);
      expect(res.status, q).toBe(422);
    }
  });

  it('approves, repeats as a no-op, un-publishes by rejecting, and keeps the history', async () => {
    const id = await held('decide');
    const approve = await as(moderatorKey, 'POST', `/api/v1/moderation/comments/${id}/approve`, { note: 'ổn' });
    expect(approve.status).toBe(200);
    const { comment } = (await approve.json()) as { comment: ModeratedComment };
    expect(comment).toMatchObject({ id, status: 'approved', decidedBy: moderatorId });
    const thread = (await (await s.call('GET', '/api/v1/threads/decide/comments')).json()) as {
      comments: { id: string }[];
    };
    expect(thread.comments.map((c) => c.id)).toContain(id);

    const again = await as(moderatorKey, 'POST', `/api/v1/moderation/comments/${id}/approve`);
    expect(again.status).toBe(200);
    const reject = await as(s.deps.config.adminToken, 'POST', `/api/v1/moderation/comments/${id}/reject`, {
      note: 'xúc phạm',
    });
    expect(((await reject.json()) as { comment: ModeratedComment }).comment.status).toBe('rejected');
    const after = (await (await s.call('GET', '/api/v1/threads/decide/comments')).json()) as {
      comments: { id: string }[];
    };
    expect(after.comments.map((c) => c.id)).not.toContain(id);

    const detail = (await (await as(moderatorKey, 'GET', `/api/v1/moderation/comments/${id}`)).json()) as {
      comment: ModeratedComment;
      history: { action: string; from: string | null; to: string; actor: string; note: string | null; at: string }[];
    };
    expect(detail.comment.status).toBe('rejected');
    expect(detail.history.map((h) => [h.action, h.from, h.to, h.actor, h.note])).toEqual([
      ['created', null, 'pending', 'auto', null],
      ['approve', 'pending', 'approved', moderatorId, 'ổn'],
      ['reject', 'approved', 'rejected', 'admin-token', 'xúc phạm'],
    ]);
    const events = await s.deps.store.db
      .selectFrom('webhook_events')
      .select('type')
      .where('comment_id', '=', id)
      .orderBy('id')
      .execute();
    expect(events.map((e) => e.type)).toEqual(['comment.pending', 'comment.approved', 'comment.rejected']);
  });

  it('answers 404 for an unknown comment and 422 for a malformed id', async () => {
    const res = await as(moderatorKey, 'POST', '/api/v1/moderation/comments/01ARZ3NDEKTSV4RRFFQ69G5FAV/spam');
    expect(res.status).toBe(404);
    expect(((await res.json()) as { error: { code: string } }).error.code).toBe('NOT_FOUND');
    expect((await as(moderatorKey, 'GET', '/api/v1/moderation/comments/nope')).status).toBe(422);
  });

  it('decides in bulk and reports per id', async () => {
    const ids = [await held('bulk'), await held('bulk')];
    const res = await as(moderatorKey, 'POST', '/api/v1/moderation/comments/bulk', {
      action: 'spam',
      ids: [...ids, '01ARZ3NDEKTSV4RRFFQ69G5FAV', 'garbage'],
    });
    expect(res.status).toBe(200);
    const { results } = (await res.json()) as { results: unknown[] };
    expect(results).toEqual([
      { id: ids[0], ok: true, status: 'spam' },
      { id: ids[1], ok: true, status: 'spam' },
      { id: '01ARZ3NDEKTSV4RRFFQ69G5FAV', ok: false, error: { code: 'NOT_FOUND' } },
      { id: 'garbage', ok: false, error: { code: 'NOT_FOUND' } },
    ]);
    const tooMany = await as(moderatorKey, 'POST', '/api/v1/moderation/comments/bulk', {
      action: 'approve',
      ids: Array.from({ length: 501 }, () => '01ARZ3NDEKTSV4RRFFQ69G5FAV'),
    });
    expect(tooMany.status).toBe(422);
  });

  it('reports counts per status and the age of the oldest pending comment', async () => {
    const res = await as(moderatorKey, 'GET', '/api/v1/moderation/stats');
    const stats = (await res.json()) as {
      counts: Record<string, number>;
      oldestPendingAt: string | null;
      oldestPendingAgeSeconds: number | null;
    };
    const rows = await s.deps.store.db.selectFrom('comments').select('status').execute();
    expect(stats.counts.pending).toBe(rows.filter((r) => r.status === 'pending').length);
    expect(stats.counts.spam).toBe(rows.filter((r) => r.status === 'spam').length);
    expect(stats.oldestPendingAt).not.toBeNull();
    expect(stats.oldestPendingAgeSeconds).toBeGreaterThanOrEqual(0);
  });
});

describe('POST /api/v1/check', () => {
  it('gives the verdict without storing or counting anything', async () => {
    const before = await s.deps.store.stats();
    const res = await as(moderatorKey, 'POST', '/api/v1/check', { body: 'Bài viết hay quá, cảm ơn tòa soạn' });
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ action: 'review', status: 'pending' });
    const short = await as(moderatorKey, 'POST', '/api/v1/check', { body: 'abc' });
    expect(await short.json()).toMatchObject({ action: 'reject', status: null, code: 'COMMENT_TOO_SHORT' });
    const after = await s.deps.store.stats();
    expect(after.counts).toEqual(before.counts);
  });
});
