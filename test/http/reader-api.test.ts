import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestService, type TestService } from '../helpers/service.ts';

const NO_LIMITS = {
  RATE_LIMIT_IP: 'off',
  RATE_LIMIT_AUTHOR: 'off',
  RATE_LIMIT_THREAD: 'off',
  RATE_LIMIT_GLOBAL: 'off',
};

let s: TestService;
beforeAll(async () => {
  s = await startTestService(NO_LIMITS);
});
afterAll(async () => {
  await s.cleanup();
});

let n = 0;
function post(
  thread: string,
  body: Record<string, unknown>,
  opts: { lang?: string; headers?: Record<string, string> } = {},
) {
  n++;
  const q = opts.lang ? `?lang=${opts.lang}` : '';
  return s.call('POST', `/api/v1/threads/${thread}/comments${q}`, {
    body: { authorName: `Bạn đọc ${n}`, ...body },
    ...(opts.headers ? { headers: opts.headers } : {}),
    ip: `198.51.100.${n % 250}`,
  });
}

async function errorOf(res: Response) {
  const json = (await res.json()) as { error: { code: string; message: string; requestId: string; details?: unknown } };
  expect(json.error.requestId).toMatch(/\S/);
  return json.error;
}

describe('POST /api/v1/threads/:threadId/comments', () => {
  it('publishes a clean comment with 201 and the public shape only', async () => {
    const res = await post('bai-viet-1', { body: 'Bài viết rất hay, cảm ơn tác giả!', authorEmail: 'an@example.com' });
    expect(res.status).toBe(201);
    const { comment } = (await res.json()) as { comment: Record<string, unknown> };
    expect(Object.keys(comment).sort()).toEqual([
      'authorName',
      'body',
      'createdAt',
      'id',
      'parentId',
      'status',
      'threadId',
    ]);
    expect(comment).toMatchObject({
      threadId: 'bai-viet-1',
      status: 'approved',
      body: 'Bài viết rất hay, cảm ơn tác giả!',
      parentId: null,
    });
    expect(new Date(String(comment.createdAt)).toISOString()).toBe(comment.createdAt);
  });

  it('stores the NFC-normalised, trimmed body without invisible characters', async () => {
    const res = await post('norm', { body: '  Bi\u0300nh lua\u0302\u0323n\u200B hay  ' });
    expect(res.status).toBe(201);
    const { comment } = (await res.json()) as { comment: { body: string } };
    expect(comment.body).toBe('Bình luận hay');
  });

  it('refuses a 4-character comment in Vietnamese by default and in English on request', async () => {
    const vi = await post('short', { body: 'abcd' });
    expect(vi.status).toBe(422);
    expect(await errorOf(vi)).toMatchObject({
      code: 'COMMENT_TOO_SHORT',
      message: 'Bạn vui lòng nhập từ 5 ký tự trở lên',
    });
    const en = await post('short', { body: 'abcd' }, { lang: 'en' });
    expect(await errorOf(en)).toMatchObject({
      code: 'COMMENT_TOO_SHORT',
      message: 'Please enter at least 5 characters',
    });
    const header = await post('short', { body: 'abcd' }, { headers: { 'accept-language': 'en-GB,en;q=0.9' } });
    expect((await errorOf(header)).message).toBe('Please enter at least 5 characters');
  });

  it('refuses 501 characters and accepts 500', async () => {
    const long = await post('long', { body: 'ệ'.repeat(501) });
    expect(long.status).toBe(422);
    expect(await errorOf(long)).toMatchObject({
      code: 'COMMENT_TOO_LONG',
      message: 'Bình luận không được vượt quá 500 ký tự',
    });
    const ok = await post('long', { body: `${'Tuyệt vời '.repeat(50)}`.trim().padEnd(500, '!') });
    expect(ok.status).toBe(201);
  });

  it('answers 400 INVALID_JSON to malformed JSON', async () => {
    const res = await s.call('POST', '/api/v1/threads/t/comments', {
      raw: '{"body": "abc',
      headers: { 'content-type': 'application/json' },
    });
    expect(res.status).toBe(400);
    expect(await errorOf(res)).toMatchObject({
      code: 'INVALID_JSON',
      message: 'Nội dung gửi lên không phải JSON hợp lệ',
    });
  });

  it('answers 415 to a body that is not JSON', async () => {
    const res = await s.call('POST', '/api/v1/threads/t/comments?lang=en', {
      raw: 'body=hello',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
    });
    expect(res.status).toBe(415);
    expect((await errorOf(res)).code).toBe('UNSUPPORTED_MEDIA_TYPE');
  });

  it('answers 413 to a body over 16 KiB, with or without Content-Length', async () => {
    const huge = JSON.stringify({ body: 'x'.repeat(17 * 1024), authorName: 'A' });
    const res = await s.call('POST', '/api/v1/threads/t/comments', {
      raw: huge,
      headers: { 'content-type': 'application/json' },
    });
    expect(res.status).toBe(413);
    expect((await errorOf(res)).code).toBe('PAYLOAD_TOO_LARGE');
    const stream = new ReadableStream({
      start(controller) {
        for (let i = 0; i < 20; i++) controller.enqueue(new TextEncoder().encode('x'.repeat(1024)));
        controller.close();
      },
    });
    const res2 = await s.app.request(
      '/api/v1/threads/t/comments',
      { method: 'POST', body: stream, headers: { 'content-type': 'application/json' }, duplex: 'half' } as RequestInit,
      { incoming: { socket: { remoteAddress: '203.0.113.9' } } },
    );
    expect(res2.status).toBe(413);
  });

  it('answers 422 VALIDATION_FAILED to fields of the wrong type', async () => {
    const res = await post('t', { body: 12345 });
    expect(res.status).toBe(422);
    const err = await errorOf(res);
    expect(err.code).toBe('VALIDATION_FAILED');
    expect(JSON.stringify(err.details)).toContain('body');
    for (const bad of [[], 'text', null, 42]) {
      const r = await s.call('POST', '/api/v1/threads/t/comments', { body: bad });
      expect(r.status).toBe(422);
    }
  });

  it('requires an author name of 1 to 80 characters after normalisation', async () => {
    expect((await post('names', { body: 'Một bình luận', authorName: ' \u200B ' })).status).toBe(422);
    expect((await post('names', { body: 'Một bình luận khác', authorName: 'ệ'.repeat(81) })).status).toBe(422);
    const ok = await post('names', { body: 'Bình luận thứ ba', authorName: 'ệ'.repeat(80) });
    expect(ok.status).toBe(201);
  });

  it('refuses an invalid email', async () => {
    const res = await post('t', { body: 'Bình luận có email sai', authorEmail: 'not-an-email' });
    expect(res.status).toBe(422);
    expect((await errorOf(res)).code).toBe('VALIDATION_FAILED');
  });

  it('refuses thread ids outside the allowed characters and length', async () => {
    for (const bad of ['bad%20id', 'a'.repeat(201), 'x%3Cscript%3E']) {
      const res = await s.call('POST', `/api/v1/threads/${bad}/comments`, {
        body: { body: 'Nội dung hợp lệ', authorName: 'A' },
      });
      expect(res.status, bad).toBe(422);
      expect((await errorOf(res)).code).toBe('VALIDATION_FAILED');
    }
    const ok = await post(encodeURIComponent('news/2026:11~a.b_c-d'), { body: 'Nội dung hợp lệ ở đây' });
    expect(ok.status).toBe(201);
    expect(((await ok.json()) as { comment: { threadId: string } }).comment.threadId).toBe('news/2026:11~a.b_c-d');
  });

  it('accepts a reply to a published comment of the same thread only', async () => {
    const parent = (await (await post('replies', { body: 'Bình luận gốc ở đây' })).json()) as {
      comment: { id: string };
    };
    const reply = await post('replies', { body: 'Trả lời bình luận gốc', parentId: parent.comment.id });
    expect(reply.status).toBe(201);
    expect(((await reply.json()) as { comment: { parentId: string } }).comment.parentId).toBe(parent.comment.id);
    const otherThread = await post('other', { body: 'Trả lời sai chủ đề', parentId: parent.comment.id });
    expect(otherThread.status).toBe(422);
    expect((await errorOf(otherThread)).code).toBe('PARENT_NOT_FOUND');
    const missing = await post('replies', { body: 'Trả lời không tồn tại', parentId: '01ARZ3NDEKTSV4RRFFQ69G5FAV' });
    expect((await errorOf(missing)).code).toBe('PARENT_NOT_FOUND');
  });

  it('stores a filled honeypot as spam and answers like a held comment', async () => {
    const res = await post('honey', { body: 'Xin chào mọi người nhé', website: 'http://spam.example' });
    expect(res.status).toBe(202);
    const json = (await res.json()) as { comment: { id: string; status: string }; message: string };
    expect(json.comment.status).toBe('pending');
    expect(json.message).toBe('Bình luận của bạn đang chờ kiểm duyệt');
    const stored = await s.deps.store.getComment(json.comment.id);
    expect(stored?.status).toBe('spam');
    expect(stored?.reasons.map((r) => r.code)).toContain('HONEYPOT');
  });

  it('holds every comment for a moderator in pre-moderation mode', async () => {
    const pre = await startTestService({ ...NO_LIMITS, MODERATION_MODE: 'pre' });
    try {
      const res = await pre.call('POST', '/api/v1/threads/t/comments?lang=en', {
        body: { body: 'A perfectly clean comment', authorName: 'Ann' },
      });
      expect(res.status).toBe(202);
      expect(((await res.json()) as { message: string }).message).toBe('Your comment is awaiting moderation');
      const list = (await (await pre.call('GET', '/api/v1/threads/t/comments')).json()) as { total: number };
      expect(list.total).toBe(0);
    } finally {
      await pre.cleanup();
    }
  });

  it('sends CORS headers for the widget', async () => {
    const res = await s.call('OPTIONS', '/api/v1/threads/t/comments', {
      headers: { origin: 'https://baosonla.example', 'access-control-request-method': 'POST' },
    });
    expect(res.status).toBe(204);
    expect(res.headers.get('access-control-allow-origin')).toBe('*');
  });
});

describe('GET /api/v1/threads/:threadId/comments', () => {
  const thread = 'paging-thread';
  const ids: string[] = [];
  beforeAll(async () => {
    for (let i = 0; i < 5; i++) {
      const res = await post(thread, { body: `Bình luận số ${i + 1} về bài báo` });
      ids.push(((await res.json()) as { comment: { id: string } }).comment.id);
    }
    await post(thread, { body: 'abc' }); // refused, not stored
  });

  it('lists approved comments newest first with a total and a cursor', async () => {
    const res = await s.call('GET', `/api/v1/threads/${thread}/comments?limit=2`);
    expect(res.status).toBe(200);
    const page = (await res.json()) as { comments: { id: string }[]; nextCursor: string | null; total: number };
    expect(page.total).toBe(5);
    expect(page.comments.map((c) => c.id)).toEqual([ids[4], ids[3]]);
    const all: string[] = [...page.comments.map((c) => c.id)];
    let cursor = page.nextCursor;
    while (cursor) {
      const next = (await (
        await s.call('GET', `/api/v1/threads/${thread}/comments?limit=2&cursor=${cursor}`)
      ).json()) as typeof page;
      all.push(...next.comments.map((c) => c.id));
      cursor = next.nextCursor;
    }
    expect(all).toEqual(ids.slice().reverse());
  });

  it('lists oldest first on request', async () => {
    const page = (await (await s.call('GET', `/api/v1/threads/${thread}/comments?order=oldest&limit=10`)).json()) as {
      comments: { id: string }[];
      nextCursor: string | null;
    };
    expect(page.comments.map((c) => c.id)).toEqual(ids);
    expect(page.nextCursor).toBeNull();
  });

  it('answers an empty thread with an empty list', async () => {
    const page = await (await s.call('GET', '/api/v1/threads/nobody-here/comments')).json();
    expect(page).toEqual({ comments: [], nextCursor: null, total: 0 });
  });

  it('refuses a bad cursor, limit or order with 422', async () => {
    for (const q of ['cursor=%%%', 'cursor=bm90LWFuLWlk', 'limit=0', 'limit=101', 'limit=abc', 'order=random']) {
      const res = await s.call('GET', `/api/v1/threads/${thread}/comments?${q}`);
      expect(res.status, q).toBe(422);
      expect((await errorOf(res)).code).toBe('VALIDATION_FAILED');
    }
  });

  it('never returns email, IP hash or reasons', async () => {
    const res = await s.call('GET', `/api/v1/threads/${thread}/comments`);
    const text = await res.text();
    expect(text).not.toContain('@example.com');
    expect(text).not.toContain('ipHash');
    expect(text).not.toContain('reasons');
    expect(text).not.toContain('authorEmail');
  });
});

describe('operations', () => {
  it('reports health', async () => {
    const res = await s.call('GET', '/healthz');
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ status: 'ok', checks: { database: 'ok' } });
  });

  it('answers unknown routes with a structured 404', async () => {
    const res = await s.call('GET', '/api/v1/nothing?lang=en');
    expect(res.status).toBe(404);
    expect(await errorOf(res)).toMatchObject({ code: 'NOT_FOUND', message: 'Not found' });
  });

  it('echoes a request id', async () => {
    const res = await s.call('GET', '/healthz', { headers: { 'x-request-id': 'abc-123' } });
    expect(res.headers.get('x-request-id')).toBe('abc-123');
  });
});
