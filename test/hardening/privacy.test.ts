import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { ManualClock, startTestService, type TestService } from '../helpers/service.ts';

const OFF = { RATE_LIMIT_IP: 'off', RATE_LIMIT_AUTHOR: 'off', RATE_LIMIT_THREAD: 'off', RATE_LIMIT_GLOBAL: 'off' };
const services: TestService[] = [];
afterEach(async () => {
  while (services.length) await services.pop()?.cleanup();
});

async function post(s: TestService, body: Record<string, unknown>, ip = '198.51.100.10') {
  const res = await s.call('POST', '/api/v1/threads/privacy/comments', {
    body: { authorName: 'Bạn đọc', ...body },
    ip,
  });
  const json = (await res.json()) as { comment?: { id: string }; error?: { details?: { reasons?: unknown[] } } };
  return { status: res.status, id: json.comment?.id };
}

/** Every byte the database keeps on disk (main file and WAL). */
function diskBytes(s: TestService): string {
  return readdirSync(s.dir)
    .filter((f) => f.startsWith('duyet.sqlite'))
    .map((f) => readFileSync(join(s.dir, f)).toString('utf8'))
    .join('\n');
}

describe('retention', () => {
  it('clears IP hashes and deletes rejected and spam comments older than RETENTION_DAYS', async () => {
    const clock = new ManualClock();
    const s = await startTestService({ ...OFF, RETENTION_DAYS: '30' }, { clock });
    services.push(s);
    const kept = await post(s, { body: 'Một bình luận bình thường để giữ lại' });
    const spam = await post(s, { body: 'Bình luận của máy gửi vào ô ẩn', website: 'x' });
    const rejected = await post(s, { body: 'Địt mẹ thằng viết bài này' });
    expect([kept.status, spam.status, rejected.status]).toEqual([201, 202, 422]);
    const rejectedRow = await s.deps.store.db
      .selectFrom('comments')
      .select('id')
      .where('status', '=', 'rejected')
      .executeTakeFirstOrThrow();

    clock.advance(29 * 86_400_000);
    const early = (await (await s.admin('POST', '/api/v1/privacy/retention/run')).json()) as Record<string, number>;
    expect(early).toEqual({ days: 30, ipHashesCleared: 0, commentsDeleted: 0, reportsDeleted: 0 });

    clock.advance(2 * 86_400_000);
    const res = await s.admin('POST', '/api/v1/privacy/retention/run');
    expect(await res.json()).toEqual({ days: 30, ipHashesCleared: 3, commentsDeleted: 2, reportsDeleted: 0 });
    const left = await s.deps.store.db.selectFrom('comments').select(['id', 'ip_hash']).execute();
    expect(left).toEqual([{ id: kept.id, ip_hash: null }]);
    for (const id of [spam.id, rejectedRow.id]) {
      expect(await s.deps.store.history(id as string)).toEqual([]);
      const events = await s.deps.store.db
        .selectFrom('webhook_events')
        .select('id')
        .where('comment_id', '=', id as string)
        .execute();
      expect(events).toEqual([]);
    }
  });

  it('refuses to run without RETENTION_DAYS', async () => {
    const s = await startTestService(OFF);
    services.push(s);
    const res = await s.admin('POST', '/api/v1/privacy/retention/run');
    expect(res.status).toBe(409);
  });
});

describe('data-protection requests', () => {
  it('exports every comment of an author by email, case-insensitively, with history', async () => {
    const s = await startTestService({ ...OFF, MODERATION_MODE: 'pre' });
    services.push(s);
    const a = await post(s, { body: 'Bình luận thứ nhất của Lan', authorEmail: 'Lan@Example.com' });
    const b = await post(s, { body: 'Bình luận thứ hai của Lan', authorEmail: 'lan@example.com' });
    await post(s, { body: 'Bình luận của người khác', authorEmail: 'hoa@example.com' });
    await s.admin('POST', `/api/v1/moderation/comments/${a.id}/approve`);
    const res = await s.admin('GET', '/api/v1/privacy/authors/export?email=LAN@example.com');
    expect(res.status).toBe(200);
    expect(res.headers.get('content-disposition')).toContain('attachment');
    const json = (await res.json()) as {
      comments: { comment: { id: string; body: string }; history: { action: string }[] }[];
    };
    expect(json.comments.map((c) => c.comment.id)).toEqual([a.id, b.id]);
    expect(json.comments[0]?.history.map((h) => h.action)).toEqual(['created', 'approve']);
    expect(JSON.stringify(json)).not.toContain('ipHash');
  });

  it('erases an author: comments, history and webhook events, and nobody else', async () => {
    const s = await startTestService(OFF);
    services.push(s);
    const a = await post(s, { body: 'Bình luận sẽ bị xoá theo yêu cầu', authorEmail: 'xoa@example.com' });
    const other = await post(s, { body: 'Bình luận của người khác ở lại', authorEmail: 'o@example.com' });
    const res = await s.admin('POST', '/api/v1/privacy/authors/erase', { email: 'XOA@example.com' });
    expect(await res.json()).toEqual({ erased: 1 });
    expect(await s.deps.store.getComment(a.id as string)).toBeNull();
    expect(await s.deps.store.history(a.id as string)).toEqual([]);
    expect(await s.deps.store.getComment(other.id as string)).not.toBeNull();
    const thread = (await (await s.call('GET', '/api/v1/threads/privacy/comments')).json()) as {
      comments: { id: string }[];
    };
    expect(thread.comments.map((c) => c.id)).toEqual([other.id]);
    // secure_delete overwrites freed pages: once checkpointed, the erased text is nowhere on disk.
    (s.deps.store.handle as unknown as { sqlite: { pragma(p: string): unknown } }).sqlite.pragma(
      'wal_checkpoint(TRUNCATE)',
    );
    const bytes = diskBytes(s);
    expect(bytes).toContain('Bình luận của người khác ở lại');
    expect(bytes).not.toContain('Bình luận sẽ bị xoá theo yêu cầu');
    expect(bytes).not.toContain('xoa@example.com');
  });

  it('is for admins only', async () => {
    const s = await startTestService(OFF);
    services.push(s);
    const key = (await (await s.admin('POST', '/api/v1/keys', { name: 'm', role: 'moderator' })).json()) as {
      secret: string;
    };
    const auth = { authorization: `Bearer ${key.secret}` };
    expect((await s.call('GET', '/api/v1/privacy/authors/export?email=a@b.co', { headers: auth })).status).toBe(403);
    expect(
      (await s.call('POST', '/api/v1/privacy/authors/erase', { body: { email: 'a@b.co' }, headers: auth })).status,
    ).toBe(403);
    expect((await s.call('GET', '/api/v1/privacy/authors/export?email=a@b.co')).status).toBe(401);
  });
});

describe('nothing secret at rest', () => {
  it('keeps no raw client IP, API key secret or webhook secret anywhere in the database files', async () => {
    const s = await startTestService({ RATE_LIMIT_IP: '50/1m', RATE_LIMIT_STORE: 'sqlite' });
    services.push(s);
    const ips = ['198.51.100.201', '2001:db8::beef', '203.0.113.222'];
    for (const [i, ip] of ips.entries()) await post(s, { body: `Bình luận từ địa chỉ số ${i}` }, ip);
    const key = (await (await s.admin('POST', '/api/v1/keys', { name: 'k', role: 'moderator' })).json()) as {
      secret: string;
    };
    const hook = (await (await s.admin('POST', '/api/v1/webhooks', { url: 'http://127.0.0.1:9/hook' })).json()) as {
      secret: string;
    };
    // Checkpoint so the main file holds everything too, then read every byte on disk.
    (s.deps.store.handle as unknown as { sqlite: { pragma(p: string): unknown } }).sqlite.pragma(
      'wal_checkpoint(TRUNCATE)',
    );
    await post(s, { body: 'Một bình luận nữa sau checkpoint' }, ips[0]);
    const bytes = diskBytes(s);
    expect(bytes.length).toBeGreaterThan(10_000);
    for (const ip of ips) expect(bytes).not.toContain(ip);
    expect(bytes).not.toContain(key.secret);
    expect(bytes).not.toContain(hook.secret);
    expect(bytes).not.toContain(hook.secret.slice('whsec_'.length));
    expect(bytes).toContain('sau checkpoint');
  });
});
