import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Ban, ModeratedComment, Reason } from '../../src/core/types.ts';
import { ulid } from '../../src/lib/ids.ts';
import { ADMIN_TOKEN, startTestService, type TestService } from '../helpers/service.ts';

/**
 * Reader reports and author bans through the HTTP API. Uses only `call`, `admin` and `deps.store`,
 * so the same suite runs on SQLite, PostgreSQL + Redis and Workers + D1.
 */

const OFF = {
  RATE_LIMIT_IP: 'off',
  RATE_LIMIT_AUTHOR: 'off',
  RATE_LIMIT_THREAD: 'off',
  RATE_LIMIT_GLOBAL: 'off',
  RATE_LIMIT_REPORT: 'off',
};

type Listed = ModeratedComment & { reports: { reason: string; note: string | null; createdAt: string }[] };
interface ErrorJson {
  error: { code: string; message: string; details?: Record<string, unknown> };
}

let s: TestService;
let moderatorKey: string;
let moderatorId: string;
beforeAll(async () => {
  s = await startTestService(OFF);
  // Events are recorded only for types an enabled endpoint takes; this one takes all (its deliveries
  // fail against a closed port and wait for their retry, which these tests never reach).
  const hook = await s.admin('POST', '/api/v1/webhooks', { url: 'http://127.0.0.1:9/duyet', events: ['*'] });
  expect(hook.status).toBe(201);
  const res = await s.admin('POST', '/api/v1/keys', { name: 'Bàn biên tập', role: 'moderator' });
  const json = (await res.json()) as { key: { id: string }; secret: string };
  moderatorKey = json.secret;
  moderatorId = json.key.id;
});
afterAll(async () => {
  await s.cleanup();
});

function mod(method: string, path: string, body?: unknown) {
  return s.call(method, path, {
    ...(body !== undefined ? { body } : {}),
    headers: { authorization: `Bearer ${moderatorKey}` },
  });
}

let seq = 0;
function thread(name: string): string {
  seq++;
  return `rb-${name}-${seq}-${Date.now().toString(36)}`;
}

/** A published comment, from its own address and email. */
async function published(threadId: string, opts: { ip?: string; email?: string } = {}): Promise<string> {
  seq++;
  const res = await s.call('POST', `/api/v1/threads/${threadId}/comments`, {
    body: {
      body: `Bài viết rất hay, cảm ơn tác giả số ${seq}`,
      authorName: `Độc giả ${seq}`,
      authorEmail: opts.email ?? `doc.gia.${seq}@example.com`,
    },
    ip: opts.ip ?? `198.51.100.${seq % 250}`,
  });
  expect(res.status).toBe(201);
  return ((await res.json()) as { comment: { id: string } }).comment.id;
}

function report(id: string, ip: string, body: unknown = { reason: 'abuse' }, query = '') {
  return s.call('POST', `/api/v1/comments/${id}/reports${query}`, { body, ip });
}

async function moderated(id: string): Promise<{
  comment: Listed;
  history: { actor: string; action: string; from: string; to: string; note: string | null }[];
}> {
  const res = await s.admin('GET', `/api/v1/moderation/comments/${id}`);
  expect(res.status).toBe(200);
  return (await res.json()) as Awaited<ReturnType<typeof moderated>>;
}

async function reportedView(threadId: string): Promise<Listed[]> {
  const res = await mod('GET', `/api/v1/moderation/comments?status=reported&threadId=${threadId}`);
  expect(res.status).toBe(200);
  return ((await res.json()) as { comments: Listed[] }).comments;
}

async function events(commentId: string): Promise<{ type: string; payload: Record<string, unknown> }[]> {
  const rows = await s.deps.store.db
    .selectFrom('webhook_events')
    .select(['type', 'payload'])
    .where('comment_id', '=', commentId)
    .orderBy('id', 'asc')
    .execute();
  return rows.map((r) => ({ type: r.type, payload: JSON.parse(r.payload) as Record<string, unknown> }));
}

async function publicIds(threadId: string): Promise<string[]> {
  const res = await s.call('GET', `/api/v1/threads/${threadId}/comments`);
  return ((await res.json()) as { comments: { id: string }[] }).comments.map((c) => c.id);
}

describe('reader reports', () => {
  it('answers 202 with a localized message and counts one report per client', async () => {
    const t = thread('count');
    const id = await published(t);
    const first = await report(id, '203.0.113.10', { reason: 'spam', note: '  quảng cáo vay tiền  ' });
    expect(first.status).toBe(202);
    expect(await first.json()).toEqual({ message: 'Cảm ơn bạn đã báo cáo, ban biên tập sẽ xem xét bình luận này' });
    const repeat = await report(id, '203.0.113.10', { reason: 'abuse' }, '?lang=en');
    expect(repeat.status).toBe(202);
    expect(await repeat.json()).toEqual({ message: 'Thank you for your report; our editors will review this comment' });
    expect((await report(id, '203.0.113.11', { reason: 'off_topic' })).status).toBe(202);

    const [listed, ...rest] = await reportedView(t);
    expect(rest).toEqual([]);
    expect(listed).toMatchObject({ id, status: 'approved', reportCount: 2 });
    expect(listed?.reports).toEqual([
      { reason: 'spam', note: 'quảng cáo vay tiền', createdAt: expect.any(String) },
      { reason: 'off_topic', note: null, createdAt: expect.any(String) },
    ]);
    expect(await publicIds(t)).toEqual([id]);
  });

  it('never shows who reported: no client key or hash in the moderator view', async () => {
    const t = thread('private');
    const id = await published(t);
    await report(id, '203.0.113.12');
    const keys = await s.deps.store.db
      .selectFrom('reports')
      .select('client_key')
      .where('comment_id', '=', id)
      .execute();
    expect(keys).toHaveLength(1);
    const res = await mod('GET', `/api/v1/moderation/comments?status=reported&threadId=${t}`);
    const text = await res.text();
    expect(text).not.toContain(keys[0]?.client_key);
    expect(text).not.toContain('clientKey');
    expect(text).not.toContain('203.0.113.12');
  });

  it('hides a comment reported by 3 distinct clients and queues it with READER_REPORTS', async () => {
    const t = thread('hide');
    const id = await published(t);
    const before = (await moderated(id)).comment.reasons;
    for (const [i, reason] of (['abuse', 'abuse', 'spam'] as const).entries()) {
      expect((await report(id, `203.0.113.${20 + i}`, { reason })).status).toBe(202);
    }
    const { comment, history } = await moderated(id);
    expect(comment).toMatchObject({ status: 'pending', reportCount: 3, decidedBy: 'readers' });
    expect(comment.reasons).toEqual([
      ...before,
      { code: 'READER_REPORTS', rule: 'reports', detail: 'abuse 2, spam 1' } satisfies Reason,
    ]);
    expect(comment.reports.map((r) => r.reason)).toEqual(['abuse', 'abuse', 'spam']);
    expect(history.at(-1)).toMatchObject({
      actor: 'readers',
      action: 'hide',
      from: 'approved',
      to: 'pending',
      note: 'abuse 2, spam 1',
    });
    expect(await publicIds(t)).toEqual([]);
    expect(await reportedView(t)).toEqual([]);
    const pending = await mod('GET', `/api/v1/moderation/comments?status=pending&threadId=${t}&reason=READER_REPORTS`);
    expect(((await pending.json()) as { comments: Listed[] }).comments.map((c) => c.id)).toEqual([id]);

    const types = (await events(id)).map((e) => e.type);
    expect(types).toEqual(['comment.approved', 'comment.pending', 'comment.reported']);
    const reported = (await events(id))[2]?.payload as {
      type: string;
      data: { comment: { id: string; status: string }; decision: unknown; reports: unknown };
    };
    expect(reported.type).toBe('comment.reported');
    expect(reported.data.comment).toMatchObject({ id, status: 'pending' });
    expect(reported.data.decision).toEqual({ by: 'readers' });
    expect(reported.data.reports).toEqual({ count: 3, reasons: 'abuse 2, spam 1' });

    // Hidden now: a fourth reader finds nothing to report.
    expect((await report(id, '203.0.113.23')).status).toBe(404);
  });

  it('lists the most reported comments first', async () => {
    const t = thread('order');
    const once = await published(t);
    const twice = await published(t);
    await report(once, '203.0.113.30');
    await report(twice, '203.0.113.31');
    await report(twice, '203.0.113.32');
    expect((await reportedView(t)).map((c) => [c.id, c.reportCount])).toEqual([
      [twice, 2],
      [once, 1],
    ]);
  });

  it('pages the Reported view with a cursor', async () => {
    const t = thread('page');
    const ids = [await published(t), await published(t), await published(t)];
    for (const id of ids) await report(id, '203.0.113.33');
    const first = (await (
      await mod('GET', `/api/v1/moderation/comments?status=reported&threadId=${t}&limit=2`)
    ).json()) as { comments: Listed[]; nextCursor: string };
    expect(first.comments.map((c) => c.id)).toEqual(ids.slice(0, 2));
    const second = (await (
      await mod('GET', `/api/v1/moderation/comments?status=reported&threadId=${t}&limit=2&cursor=${first.nextCursor}`)
    ).json()) as { comments: Listed[]; nextCursor: string | null };
    expect(second).toMatchObject({ nextCursor: null });
    expect(second.comments.map((c) => c.id)).toEqual(ids.slice(2));
    expect((await mod('GET', '/api/v1/moderation/comments?status=reported&cursor=bm9wZQ')).status).toBe(422);
  });

  it('shows the report count in the other views too', async () => {
    const t = thread('count-everywhere');
    const id = await published(t);
    await report(id, '203.0.113.34', { reason: 'other', note: 'sai sự thật' });
    const res = await mod('GET', `/api/v1/moderation/comments?status=approved&threadId=${t}`);
    const [c] = ((await res.json()) as { comments: Listed[] }).comments;
    expect(c).toMatchObject({ id, reportCount: 1, reports: [{ reason: 'other', note: 'sai sự thật' }] });
  });

  it('answers 404 for unknown, malformed and unpublished comments, and 422 for a bad reason', async () => {
    const t = thread('404');
    const rejected = await published(t);
    expect((await s.admin('POST', `/api/v1/moderation/comments/${rejected}/reject`, {})).status).toBe(200);
    for (const id of [ulid(), 'not-an-id', rejected]) {
      const res = await report(id, '203.0.113.40', { reason: 'spam' }, '?lang=en');
      expect(res.status, id).toBe(404);
      expect(((await res.json()) as ErrorJson).error).toMatchObject({ code: 'NOT_FOUND', message: 'Not found' });
    }
    const published_ = await published(t);
    for (const body of [{ reason: 'boring' }, {}, { reason: 'spam', note: 5 }]) {
      const res = await report(published_, '203.0.113.41', body);
      expect(res.status).toBe(422);
      expect(((await res.json()) as ErrorJson).error.code).toBe('VALIDATION_FAILED');
    }
  });

  it('answers CORS preflights for the widget', async () => {
    const res = await s.call('OPTIONS', `/api/v1/comments/${ulid()}/reports`, {
      headers: {
        origin: 'https://bao.example',
        'access-control-request-method': 'POST',
        'access-control-request-headers': 'content-type',
      },
    });
    expect(res.status).toBe(204);
    expect(res.headers.get('access-control-allow-origin')).toBe('*');
  });
});

describe('dismissing reports', () => {
  it('keeps a reported comment published, clears it from the Reported view and records it', async () => {
    const t = thread('dismiss');
    const id = await published(t);
    await report(id, '203.0.113.50');
    await report(id, '203.0.113.51');
    const res = await mod('POST', `/api/v1/moderation/comments/${id}/dismiss-reports`, { note: 'Góp ý hợp lệ' });
    expect(res.status).toBe(200);
    const { comment } = (await res.json()) as { comment: Listed };
    expect(comment).toMatchObject({ id, status: 'approved', reportCount: 0, reports: [] });
    expect(await reportedView(t)).toEqual([]);
    expect(await publicIds(t)).toEqual([id]);
    expect((await moderated(id)).history.at(-1)).toMatchObject({
      actor: moderatorId,
      action: 'dismiss-reports',
      from: 'approved',
      to: 'approved',
      note: 'Góp ý hợp lệ',
    });
    // A client whose report was dismissed cannot report the same comment again; a new one can.
    await report(id, '203.0.113.50');
    expect((await moderated(id)).comment.reportCount).toBe(0);
    await report(id, '203.0.113.52');
    expect((await moderated(id)).comment.reportCount).toBe(1);
  });

  it('publishes again a comment hidden by reports', async () => {
    const t = thread('republish');
    const id = await published(t);
    for (const ip of ['203.0.113.60', '203.0.113.61', '203.0.113.62']) await report(id, ip);
    expect((await moderated(id)).comment.status).toBe('pending');
    const res = await mod('POST', `/api/v1/moderation/comments/${id}/dismiss-reports`, {});
    expect(res.status).toBe(200);
    expect(((await res.json()) as { comment: Listed }).comment).toMatchObject({
      status: 'approved',
      reportCount: 0,
      decidedBy: moderatorId,
    });
    expect(await publicIds(t)).toEqual([id]);
    expect((await moderated(id)).history.at(-1)).toMatchObject({
      action: 'dismiss-reports',
      from: 'pending',
      to: 'approved',
      note: null,
    });
    expect((await events(id)).map((e) => e.type)).toEqual([
      'comment.approved',
      'comment.pending',
      'comment.reported',
      'comment.approved',
    ]);
  });

  it('lets a moderator decide a reported comment as usual', async () => {
    const t = thread('decide');
    const id = await published(t);
    await report(id, '203.0.113.63');
    const res = await mod('POST', `/api/v1/moderation/comments/${id}/reject`, { note: 'vi phạm' });
    expect(((await res.json()) as { comment: Listed }).comment.status).toBe('rejected');
    expect(await reportedView(t)).toEqual([]);
    expect(await publicIds(t)).toEqual([]);
  });

  it('answers 404 for an unknown comment and 409 for one neither published nor hidden by reports', async () => {
    expect((await mod('POST', `/api/v1/moderation/comments/${ulid()}/dismiss-reports`, {})).status).toBe(404);
    const id = await published(thread('conflict'));
    await s.admin('POST', `/api/v1/moderation/comments/${id}/spam`, {});
    const res = await mod('POST', `/api/v1/moderation/comments/${id}/dismiss-reports`, {});
    expect(res.status).toBe(409);
    expect(((await res.json()) as ErrorJson).error.code).toBe('CONFLICT');
  });
});

describe('report rate limits', () => {
  let limited: TestService;
  beforeAll(async () => {
    limited = await startTestService({ ...OFF, RATE_LIMIT_REPORT: '2/1m' });
  });
  afterAll(async () => {
    await limited.cleanup();
  });

  it('answers 429 RATE_LIMITED with Retry-After once a client has used its reports, per client', async () => {
    const ids: string[] = [];
    for (let i = 0; i < 3; i++) {
      const res = await limited.call('POST', '/api/v1/threads/rl-reports/comments', {
        body: { body: `Bình luận số ${i} để báo cáo`, authorName: `Người ${i}` },
        ip: `192.0.2.${i + 1}`,
      });
      ids.push(((await res.json()) as { comment: { id: string } }).comment.id);
    }
    const send = (id: string, ip: string) =>
      limited.call('POST', `/api/v1/comments/${id}/reports?lang=en`, { body: { reason: 'spam' }, ip });
    expect((await send(ids[0]!, '203.0.113.70')).status).toBe(202);
    expect((await send(ids[1]!, '203.0.113.70')).status).toBe(202);
    const res = await send(ids[2]!, '203.0.113.70');
    expect(res.status).toBe(429);
    expect(Number(res.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
    expect(res.headers.get('ratelimit-policy')).toBe('"report-1m";q=2;w=60');
    const body = (await res.json()) as ErrorJson;
    expect(body.error.code).toBe('RATE_LIMITED');
    expect(body.error.message).toMatch(/^You are posting too fast; please try again in \d+ seconds$/);
    expect((await send(ids[2]!, '203.0.113.71')).status).toBe(202);
    const rows = await limited.deps.store.db.selectFrom('reports').select('comment_id').execute();
    expect(rows.map((r) => r.comment_id).sort()).toEqual([ids[0], ids[1], ids[2]].sort());
  });
});

describe('bans', () => {
  const UNTIL = '2099-01-02T03:04:00.000Z';

  async function post(threadId: string, opts: { email?: string; ip: string; lang?: string }) {
    seq++;
    return s.call('POST', `/api/v1/threads/${threadId}/comments${opts.lang ? `?lang=${opts.lang}` : ''}`, {
      body: {
        body: `Ý kiến thứ ${seq} của tôi về bài báo`,
        authorName: `Tác giả ${seq}`,
        ...(opts.email ? { authorEmail: opts.email } : {}),
      },
      ip: opts.ip,
    });
  }

  async function count(threadId: string): Promise<number> {
    const rows = await s.deps.store.db.selectFrom('comments').select('id').where('thread_id', '=', threadId).execute();
    return rows.length;
  }

  it('bans an email, case-insensitively, with the end time in both languages; nothing is stored', async () => {
    const t = thread('ban-email');
    const res = await mod('POST', '/api/v1/moderation/bans', {
      email: 'Ke.Pha@Example.com',
      until: UNTIL,
      reason: 'Chửi bới nhiều lần',
    });
    expect(res.status).toBe(201);
    const { ban, rejected } = (await res.json()) as { ban: Ban; rejected: string[] };
    expect(rejected).toEqual([]);
    expect(ban).toMatchObject({
      email: 'ke.pha@example.com',
      byIp: false,
      commentId: null,
      reason: 'Chửi bới nhiều lần',
      until: UNTIL,
      createdBy: moderatorId,
      liftedAt: null,
      active: true,
    });

    const vi = await post(t, { email: 'KE.PHA@example.com', ip: '198.18.0.1' });
    expect(vi.status).toBe(403);
    expect(((await vi.json()) as ErrorJson).error).toMatchObject({
      code: 'AUTHOR_BANNED',
      message: 'Bạn tạm thời không thể bình luận đến 03:04 UTC ngày 02/01/2099',
      details: { until: UNTIL },
    });
    const en = await post(t, { email: 'ke.pha@example.com', ip: '198.18.0.2', lang: 'en' });
    expect(en.status).toBe(403);
    expect(((await en.json()) as ErrorJson).error.message).toBe(
      'You cannot comment at the moment until 2 January 2099, 03:04 UTC',
    );
    expect(await count(t)).toBe(0);
    // Someone else on the same address is not concerned by an email ban.
    expect((await post(t, { email: 'khac@example.com', ip: '198.18.0.1' })).status).toBe(201);

    const events_ = await s.deps.store.db
      .selectFrom('webhook_events')
      .select(['type', 'payload'])
      .where('type', '=', 'author.banned')
      .execute();
    const payloads = events_.map((e) => JSON.parse(e.payload) as { data: { ban: Ban; decision: unknown } });
    expect(payloads.find((p) => p.data.ban.id === ban.id)?.data).toMatchObject({
      ban: { id: ban.id, email: 'ke.pha@example.com' },
      comment: null,
      decision: { by: 'moderator', keyId: moderatorId, note: 'Chửi bới nhiều lần' },
    });
  });

  it('bans by the client-IP hash of a comment, forever, and records it in that comment history', async () => {
    const t = thread('ban-ip');
    const id = await published(t, { ip: '198.18.1.1', email: 'nguon@example.com' });
    const res = await mod('POST', '/api/v1/moderation/bans', { commentId: id, until: null, reason: 'Spam' });
    expect(res.status).toBe(201);
    const { ban } = (await res.json()) as { ban: Ban };
    expect(ban).toMatchObject({ email: 'nguon@example.com', byIp: true, commentId: id, until: null, active: true });
    expect(JSON.stringify(ban)).not.toMatch(/ipHash|ip_hash/);

    const sameIp = await post(t, { ip: '198.18.1.1' });
    expect(sameIp.status).toBe(403);
    expect(((await sameIp.json()) as ErrorJson).error).toEqual({
      code: 'AUTHOR_BANNED',
      message: 'Bạn tạm thời không thể bình luận',
      requestId: expect.any(String),
      details: { until: null },
    });
    const en = await post(t, { ip: '198.18.1.1', lang: 'en' });
    expect(((await en.json()) as ErrorJson).error.message).toBe('You cannot comment at the moment');
    expect((await post(t, { ip: '198.18.1.2', email: 'nguon@example.com' })).status).toBe(403);
    expect((await post(t, { ip: '198.18.1.3' })).status).toBe(201);

    expect((await moderated(id)).history.at(-1)).toMatchObject({
      actor: moderatorId,
      action: 'ban',
      from: 'approved',
      to: 'approved',
      note: 'Spam',
    });
    const banned = (await events(id)).find((e) => e.type === 'author.banned');
    expect(banned?.payload).toMatchObject({ data: { ban: { id: ban.id }, comment: { id } } });
  });

  it('lists active bans, lifts one (recorded) and lets the author post again', async () => {
    const t = thread('lift');
    const id = await published(t, { ip: '198.18.2.1', email: 'nho@example.com' });
    const { ban } = (await (
      await mod('POST', '/api/v1/moderation/bans', { commentId: id, until: UNTIL, reason: 'Tạm khóa' })
    ).json()) as { ban: Ban };
    const active = (await (await mod('GET', '/api/v1/moderation/bans')).json()) as { bans: Ban[] };
    expect(active.bans.map((b) => b.id)).toContain(ban.id);
    expect((await post(t, { ip: '198.18.2.1' })).status).toBe(403);

    const lift = await mod('DELETE', `/api/v1/moderation/bans/${ban.id}`);
    expect(lift.status).toBe(200);
    const lifted = ((await lift.json()) as { ban: Ban }).ban;
    expect(lifted).toMatchObject({ id: ban.id, liftedBy: moderatorId, active: false });
    expect(lifted.liftedAt).toEqual(expect.any(String));
    expect((await post(t, { ip: '198.18.2.1', email: 'nho@example.com' })).status).toBe(201);

    const after = (await (await mod('GET', '/api/v1/moderation/bans')).json()) as { bans: Ban[] };
    expect(after.bans.map((b) => b.id)).not.toContain(ban.id);
    const all = (await (await mod('GET', '/api/v1/moderation/bans?all=true')).json()) as { bans: Ban[] };
    expect(all.bans.find((b) => b.id === ban.id)).toEqual(lifted);
    expect((await moderated(id)).history.slice(-2)).toMatchObject([
      { action: 'ban', note: `Tạm khóa (until ${UNTIL})` },
      { action: 'unban', actor: moderatorId, note: 'Tạm khóa' },
    ]);

    const again = await mod('DELETE', `/api/v1/moderation/bans/${ban.id}`);
    expect(again.status).toBe(200);
    expect(((await again.json()) as { ban: Ban }).ban).toEqual(lifted);
    expect((await mod('DELETE', `/api/v1/moderation/bans/${ulid()}`)).status).toBe(404);
  });

  it("rejects the author's pending comments in the same action, each with its history", async () => {
    const t = thread('reject-pending');
    const pendingIds: string[] = [];
    for (const email of ['hang.loat@example.com', 'hang.loat@example.com', 'nguoi.khac@example.com']) {
      const id = ulid();
      await s.deps.store.insertComment({
        id,
        threadId: t,
        parentId: null,
        authorName: 'Hàng loạt',
        authorEmail: email,
        authorKey: `author:${id}`,
        body: 'Nội dung chờ duyệt',
        originalBody: null,
        status: 'pending',
        reasons: [{ code: 'SPAM_LINK', rule: 'spam' }],
        score: 0.5,
        ipHash: null,
        textHash: `text:${id}`,
      });
      pendingIds.push(id);
    }
    const res = await s.admin('POST', '/api/v1/moderation/bans', {
      email: 'hang.loat@example.com',
      reason: 'Quảng cáo',
      rejectPending: true,
    });
    expect(res.status).toBe(201);
    const { rejected } = (await res.json()) as { rejected: string[] };
    expect(rejected).toEqual(pendingIds.slice(0, 2));
    for (const id of pendingIds.slice(0, 2)) {
      const { comment, history } = await moderated(id);
      expect(comment.status).toBe('rejected');
      expect(history.at(-1)).toMatchObject({
        actor: 'admin-token',
        action: 'reject',
        from: 'pending',
        to: 'rejected',
        note: 'Quảng cáo',
      });
      expect((await events(id)).map((e) => e.type)).toEqual(['comment.pending', 'comment.rejected']);
    }
    expect((await moderated(pendingIds[2]!)).comment.status).toBe('pending');
  });

  it('validates a ban', async () => {
    const cases: [unknown, number][] = [
      [{ reason: 'x' }, 422],
      [{ email: 'a@example.com' }, 422],
      [{ email: 'a@example.com', reason: '' }, 422],
      [{ email: 'not-an-email', reason: 'x' }, 422],
      [{ email: 'a@example.com', reason: 'x', until: 'tomorrow' }, 422],
      [{ email: 'a@example.com', reason: 'x', until: '2001-01-01T00:00:00Z' }, 422],
      [{ commentId: ulid(), reason: 'x' }, 404],
    ];
    for (const [body, status] of cases) {
      const res = await mod('POST', '/api/v1/moderation/bans', body);
      expect(res.status, JSON.stringify(body)).toBe(status);
    }
  });
});

describe('privacy and auth', () => {
  it('keeps no raw client IP anywhere in the database', async () => {
    const t = thread('raw-ip');
    const ip = '198.18.77.123';
    const id = await published(t, { ip });
    await report(id, ip, { reason: 'spam', note: 'ghi chú' });
    await mod('POST', '/api/v1/moderation/bans', { commentId: id, reason: 'Thử' });
    expect(
      (await s.call('POST', `/api/v1/threads/${t}/comments`, { body: { body: 'bị chặn rồi', authorName: 'X' }, ip }))
        .status,
    ).toBe(403);
    const tables = ['comments', 'comment_history', 'reports', 'bans', 'webhook_events'] as const;
    for (const table of tables) {
      const rows = await s.deps.store.db.selectFrom(table).selectAll().execute();
      expect(rows.length, table).toBeGreaterThan(0);
      expect(JSON.stringify(rows), table).not.toContain(ip);
    }
  });

  it('refuses every moderator route of reports and bans without a valid key', async () => {
    const routes: [string, string, unknown?][] = [
      ['GET', '/api/v1/moderation/comments?status=reported'],
      ['POST', `/api/v1/moderation/comments/${ulid()}/dismiss-reports`, {}],
      ['POST', '/api/v1/moderation/bans', { email: 'a@example.com', reason: 'x' }],
      ['GET', '/api/v1/moderation/bans'],
      ['DELETE', `/api/v1/moderation/bans/${ulid()}`],
    ];
    for (const [method, path, body] of routes) {
      for (const key of [null, 'wrong', `${ADMIN_TOKEN}x`]) {
        const res = await s.call(method, path, {
          ...(body !== undefined ? { body } : {}),
          headers: key ? { authorization: `Bearer ${key}` } : {},
        });
        expect(res.status, `${method} ${path}`).toBe(401);
        expect(((await res.json()) as ErrorJson).error.code).toBe('UNAUTHORIZED');
      }
    }
    expect((await mod('GET', '/api/v1/moderation/bans')).status).toBe(200);
  });
});
