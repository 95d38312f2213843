import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ulid } from '../../src/lib/ids.ts';
import { startTestService, type TestService } from '../helpers/service.ts';

interface ThreadPage {
  comments: { id: string; body: string }[];
  total: number;
}

/** First pages of threads are cached per process on SQLite and revalidated with a weak ETag. */
describe('thread page cache and ETag', () => {
  let s: TestService;
  beforeAll(async () => {
    s = await startTestService({ RATE_LIMIT_IP: 'off', RATE_LIMIT_AUTHOR: 'off', RATE_LIMIT_THREAD: 'off' });
  });
  afterAll(async () => {
    await s.cleanup();
  });

  const list = (thread: string, headers: Record<string, string> = {}) =>
    s.call('GET', `/api/v1/threads/${thread}/comments`, { headers });
  const post = (thread: string, body: string) =>
    s.call('POST', `/api/v1/threads/${thread}/comments`, { body: { body, authorName: 'Bạn đọc' } });

  it('answers 304 with the same ETag when the page did not change, and the page otherwise', async () => {
    await post('etag', 'Bình luận đầu tiên của bài');
    const first = await list('etag');
    const etag = first.headers.get('etag');
    expect(first.status).toBe(200);
    expect(etag).toMatch(/^W\/"[0-9a-z]+-[0-9a-z]+"$/);
    expect(first.headers.get('cache-control')).toBe('no-cache');
    const again = await list('etag', { 'if-none-match': etag ?? '' });
    expect(again.status).toBe(304);
    expect(again.headers.get('etag')).toBe(etag);
    expect(await again.text()).toBe('');
    const other = await list('etag', { 'if-none-match': 'W/"something-else"' });
    expect(other.status).toBe(200);
    expect(await other.json()).toEqual(await first.json());
  });

  it('shows a new comment at once after a post, with a new ETag', async () => {
    await post('fresh', 'Bình luận thứ nhất về giá xăng');
    const before = await list('fresh');
    const etag = before.headers.get('etag') ?? '';
    expect(((await before.json()) as ThreadPage).total).toBe(1);
    const created = await post('fresh', 'Bình luận thứ hai về giá xăng');
    expect(created.status).toBe(201);
    const after = await list('fresh', { 'if-none-match': etag });
    expect(after.status).toBe(200);
    expect(after.headers.get('etag')).not.toBe(etag);
    const page = (await after.json()) as ThreadPage;
    expect(page.total).toBe(2);
    expect(page.comments.map((c) => c.body)).toEqual([
      'Bình luận thứ hai về giá xăng',
      'Bình luận thứ nhất về giá xăng',
    ]);
  });

  it('shows an approved comment and hides a rejected one at once', async () => {
    const visible = await post('decide', 'Bình luận được hiển thị ngay');
    const visibleId = ((await visible.json()) as { comment: { id: string } }).comment.id;
    const held = await s.deps.store.insertComment({
      id: ulid(),
      threadId: 'decide',
      parentId: null,
      authorName: 'Bạn đọc',
      authorEmail: null,
      authorKey: 'k',
      body: 'Bình luận chờ duyệt',
      originalBody: null,
      status: 'pending',
      reasons: [],
      score: 0,
      ipHash: null,
      textHash: 'held-text',
    });
    const ids = async () => ((await (await list('decide')).json()) as ThreadPage).comments.map((c) => c.id);
    expect(await ids()).toEqual([visibleId]);
    expect((await s.admin('POST', `/api/v1/moderation/comments/${held.id}/approve`, {})).status).toBe(200);
    expect(await ids()).toEqual([held.id, visibleId]);
    expect((await s.admin('POST', `/api/v1/moderation/comments/${visibleId}/reject`, {})).status).toBe(200);
    expect(await ids()).toEqual([held.id]);
  });

  it('drops cached pages when comments change through any other SQL', async () => {
    await post('elsewhere', 'Bình luận sẽ bị ẩn bằng SQL khác');
    expect(((await (await list('elsewhere')).json()) as ThreadPage).total).toBe(1);
    await s.deps.store.db
      .updateTable('comments')
      .set({ status: 'rejected' })
      .where('thread_id', '=', 'elsewhere')
      .execute();
    expect(((await (await list('elsewhere')).json()) as ThreadPage).total).toBe(0);
  });

  it('does not cache pages read by cursor and answers them with an ETag too', async () => {
    for (let i = 0; i < 3; i++) await post('paged', `Bình luận phân trang số ${i}`);
    const first = (await (await s.call('GET', '/api/v1/threads/paged/comments?limit=2')).json()) as ThreadPage & {
      nextCursor: string;
    };
    const second = await s.call('GET', `/api/v1/threads/paged/comments?limit=2&cursor=${first.nextCursor}`);
    expect(second.status).toBe(200);
    expect(second.headers.get('etag')).toMatch(/^W\//);
    expect(((await second.json()) as ThreadPage).comments.map((c) => c.body)).toEqual(['Bình luận phân trang số 0']);
  });
});
