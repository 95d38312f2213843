import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DomainError } from '../../src/core/errors.ts';
import type { CommentStatus } from '../../src/core/types.ts';
import type { NewComment, Store } from '../../src/db/store.ts';
import { ulid } from '../../src/lib/ids.ts';
import type { ManualClock } from '../helpers/clock.ts';

export interface StoreFixture {
  store: Store;
  clock: ManualClock;
  cleanup(): Promise<void>;
}

let seq = 0;
export function newComment(overrides: Partial<NewComment> = {}): NewComment {
  seq++;
  return {
    id: ulid(),
    threadId: 'thread-a',
    parentId: null,
    authorName: `Reader ${seq}`,
    authorEmail: `reader${seq}@example.com`,
    authorKey: `author-${seq}`,
    body: `Bình luận số ${seq}`,
    originalBody: null,
    status: 'approved',
    reasons: [],
    score: 0,
    ipHash: `ip-${seq}`,
    textHash: `hash-${seq}`,
    ...overrides,
  };
}

/**
 * The storage contract: every backend (SQLite, D1, PostgreSQL) must pass these same assertions.
 */
/** An enabled (or not) endpoint row taking `events`; returns its removal. Nothing is delivered here. */
export async function addEndpoint(
  store: Store,
  events = '["*"]',
  enabled = 1,
  id = `wh-${ulid()}`,
): Promise<() => Promise<void>> {
  const now = new Date().toISOString();
  await store.db
    .insertInto('webhooks')
    .values({
      id,
      url: 'https://example.com/hook',
      events,
      enabled,
      description: null,
      secret_enc: 'x',
      previous_secret_enc: null,
      previous_secret_until: null,
      disabled_reason: null,
      failing_since: null,
      created_at: now,
      updated_at: now,
    })
    .execute();
  return async () => {
    await store.db.deleteFrom('webhook_deliveries').where('webhook_id', '=', id).execute();
    await store.db.deleteFrom('webhooks').where('id', '=', id).execute();
  };
}

export function storeContract(name: string, open: () => Promise<StoreFixture>): void {
  describe(`Store contract: ${name}`, () => {
    let f: StoreFixture;
    beforeAll(async () => {
      f = await open();
    });
    afterAll(async () => {
      await f?.cleanup();
    });

    it('stores a comment and reads it back with reasons, spans and score', async () => {
      const c = newComment({
        status: 'pending',
        reasons: [{ code: 'INSULT', rule: 'profanity-vi', detail: 'óc chó', spans: [[3, 9]] }],
        score: 0.25,
        originalBody: 'the original',
      });
      const stored = await f.store.insertComment(c);
      const read = await f.store.getComment(c.id);
      expect(read).toEqual(stored);
      expect(read).toMatchObject({
        id: c.id,
        status: 'pending',
        reasons: [{ code: 'INSULT', rule: 'profanity-vi', detail: 'óc chó', spans: [[3, 9]] }],
        score: 0.25,
        reportCount: 0,
        decidedAt: null,
        decidedBy: null,
        originalBody: 'the original',
        createdAt: f.clock.now().toISOString(),
      });
      expect(await f.store.getComment('01ARZ3NDEKTSV4RRFFQ69G5FAV')).toBeNull();
    });

    it('pages a thread newest and oldest first, approved comments only, with a total', async () => {
      const thread = `paging-${ulid()}`;
      const ids: string[] = [];
      for (let i = 0; i < 7; i++) {
        f.clock.advance(1000);
        const c = newComment({ threadId: thread, status: i === 3 ? 'pending' : 'approved' });
        await f.store.insertComment(c);
        if (i !== 3) ids.push(c.id);
      }
      expect(await f.store.countApproved(thread)).toBe(6);
      const first = await f.store.listThread(thread, { limit: 4, cursor: null, order: 'newest' });
      expect(first.items.map((c) => c.id)).toEqual(ids.slice().reverse().slice(0, 4));
      expect(first.nextCursor).not.toBeNull();
      const second = await f.store.listThread(thread, { limit: 4, cursor: first.nextCursor, order: 'newest' });
      expect(second.items.map((c) => c.id)).toEqual(ids.slice().reverse().slice(4));
      expect(second.nextCursor).toBeNull();
      const oldest = await f.store.listThread(thread, { limit: 6, cursor: null, order: 'oldest' });
      expect(oldest.items.map((c) => c.id)).toEqual(ids);
      expect(oldest.nextCursor).toBeNull();
    });

    it('refuses a cursor that is not one of its own', async () => {
      await expect(f.store.listThread('x', { limit: 5, cursor: '%%%', order: 'newest' })).rejects.toBeInstanceOf(
        DomainError,
      );
      await expect(
        f.store.listThread('x', { limit: 5, cursor: btoa('not-an-id'), order: 'newest' }),
      ).rejects.toMatchObject({ code: 'VALIDATION_FAILED' });
    });

    it('lists the pending queue oldest first and filters by thread, reason and text', async () => {
      const thread = `queue-${ulid()}`;
      const a = newComment({
        threadId: thread,
        status: 'pending',
        body: 'Giá XĂNG tăng',
        reasons: [{ code: 'SPAM', rule: 'spam' }],
      });
      f.clock.advance(1000);
      const b = newComment({
        threadId: thread,
        status: 'pending',
        body: 'ok then',
        reasons: [{ code: 'INSULT', rule: 'x' }],
      });
      f.clock.advance(1000);
      const c = newComment({ threadId: thread, status: 'spam', body: 'buy now' });
      for (const x of [a, b, c]) await f.store.insertComment(x);
      const pending = await f.store.listModeration({ status: 'pending', threadId: thread, limit: 10, cursor: null });
      expect(pending.items.map((x) => x.id)).toEqual([a.id, b.id]);
      const byReason = await f.store.listModeration({
        status: 'pending',
        threadId: thread,
        reason: 'INSULT',
        limit: 10,
        cursor: null,
      });
      expect(byReason.items.map((x) => x.id)).toEqual([b.id]);
      const byText = await f.store.listModeration({
        status: 'pending',
        threadId: thread,
        q: 'OK THEN',
        limit: 10,
        cursor: null,
      });
      expect(byText.items.map((x) => x.id)).toEqual([b.id]);
      const byPercent = await f.store.listModeration({
        status: 'pending',
        threadId: thread,
        q: '%',
        limit: 10,
        cursor: null,
      });
      expect(byPercent.items).toEqual([]);
      const q = (extra: { q?: string; reason?: string }) =>
        f.store.listModeration({ status: 'pending', threadId: thread, limit: 10, cursor: null, ...extra });
      expect((await q({ q: 'k_t' })).items).toEqual([]);
      const d = newComment({
        threadId: thread,
        status: 'pending',
        body: 'a_b',
        reasons: [{ code: 'SPAM_TOPIC', rule: 'spam' }],
      });
      await f.store.insertComment(d);
      expect((await q({ reason: 'SPAM_TOPIC' })).items.map((x) => x.id)).toEqual([d.id]);
      expect((await q({ q: 'a_b' })).items.map((x) => x.id)).toEqual([d.id]);
      expect((await q({ q: 'a%b' })).items).toEqual([]);
      await f.store.db.deleteFrom('comments').where('id', '=', d.id).execute();
      const page1 = await f.store.listModeration({ status: 'pending', threadId: thread, limit: 1, cursor: null });
      const page2 = await f.store.listModeration({
        status: 'pending',
        threadId: thread,
        limit: 1,
        cursor: page1.nextCursor,
      });
      expect([...page1.items, ...page2.items].map((x) => x.id)).toEqual([a.id, b.id]);
      const spam = await f.store.listModeration({ status: 'spam', threadId: thread, limit: 10, cursor: null });
      expect(spam.items.map((x) => x.id)).toEqual([c.id]);
    });

    it('records a decision with its history and webhook event, and repeats as a no-op', async () => {
      const removeEndpoint = await addEndpoint(f.store);
      const c = newComment({ status: 'pending' });
      await f.store.insertComment(c);
      f.clock.advance(5000);
      const r = await f.store.decide(c.id, 'approved', { kind: 'moderator', keyId: 'key-1' }, 'looks fine');
      expect(r).toMatchObject({ from: 'pending', changed: true, comment: { status: 'approved', decidedBy: 'key-1' } });
      expect(r?.comment.decidedAt).toBe(f.clock.now().toISOString());
      const again = await f.store.decide(c.id, 'approved', { kind: 'moderator', keyId: 'key-2' }, null);
      expect(again).toMatchObject({ changed: false, comment: { decidedBy: 'key-1' } });
      const history = await f.store.history(c.id);
      expect(history.map((h) => [h.action, h.from, h.to, h.actor, h.note])).toEqual([
        ['created', null, 'pending', 'auto', null],
        ['approve', 'pending', 'approved', 'key-1', 'looks fine'],
      ]);
      const events = await f.store.db
        .selectFrom('webhook_events')
        .select(['type', 'payload'])
        .where('comment_id', '=', c.id)
        .orderBy('id')
        .execute();
      expect(events.map((e) => e.type)).toEqual(['comment.pending', 'comment.approved']);
      const payload = JSON.parse(events[1]?.payload ?? '{}');
      expect(payload).toMatchObject({
        type: 'comment.approved',
        data: {
          comment: { id: c.id, status: 'approved' },
          decision: { by: 'moderator', keyId: 'key-1', note: 'looks fine' },
        },
      });
      expect(await f.store.decide('01ARZ3NDEKTSV4RRFFQ69G5FAV', 'approved', { kind: 'auto' }, null)).toBeNull();
      await removeEndpoint();
    });

    it('records an event only for types an enabled endpoint takes (nobody else would ever be sent it)', async () => {
      const eventTypes = async (id: string) =>
        (
          await f.store.db
            .selectFrom('webhook_events')
            .select('type')
            .where('comment_id', '=', id)
            .orderBy('id')
            .execute()
        ).map((e) => e.type);
      const nobody = newComment({ status: 'approved' });
      expect(await f.store.insertCommentWithOutbox(nobody)).toMatchObject({ queuedDeliveries: 0 });
      expect(await eventTypes(nobody.id)).toEqual([]);

      const removeOff = await addEndpoint(f.store, '["*"]', 0);
      const removeSpam = await addEndpoint(f.store, '["comment.spam"]');
      const c = newComment({ status: 'approved' });
      expect(await f.store.insertCommentWithOutbox(c)).toMatchObject({ queuedDeliveries: 0 });
      expect(await eventTypes(c.id)).toEqual([]);
      f.clock.advance(1000);
      await f.store.decide(c.id, 'spam', { kind: 'moderator', keyId: 'key-1' }, null);
      expect(await eventTypes(c.id)).toEqual(['comment.spam']);
      const spam = newComment({ status: 'spam' });
      expect(await f.store.insertCommentWithOutbox(spam)).toMatchObject({ queuedDeliveries: 1 });
      expect(await eventTypes(spam.id)).toEqual(['comment.spam']);
      await removeSpam();
      await removeOff();
    });

    it('fans an event out to each enabled subscribed endpoint in the same write', async () => {
      const hooks = [
        { id: `wh-all-${ulid()}`, events: '["*"]', enabled: 1 },
        { id: `wh-app-${ulid()}`, events: '["comment.approved"]', enabled: 1 },
        { id: `wh-spam-${ulid()}`, events: '["comment.spam"]', enabled: 1 },
        { id: `wh-off-${ulid()}`, events: '["*"]', enabled: 0 },
      ];
      const removers = [];
      for (const h of hooks) removers.push(await addEndpoint(f.store, h.events, h.enabled, h.id));
      const c = newComment({ status: 'approved' });
      await f.store.insertComment(c);
      const event = await f.store.db
        .selectFrom('webhook_events')
        .select('id')
        .where('comment_id', '=', c.id)
        .executeTakeFirstOrThrow();
      const deliveries = await f.store.db
        .selectFrom('webhook_deliveries')
        .select(['webhook_id', 'status', 'attempts'])
        .where('event_id', '=', event.id)
        .orderBy('webhook_id')
        .execute();
      expect(deliveries).toEqual(
        [hooks[0], hooks[1]]
          .map((h) => ({ webhook_id: h?.id, status: 'pending', attempts: 0 }))
          .sort((x, y) => String(x.webhook_id).localeCompare(String(y.webhook_id))),
      );
      for (const remove of removers) await remove();
    });

    it('applies concurrent decisions one after another without losing history', async () => {
      const c = newComment({ status: 'pending' });
      await f.store.insertComment(c);
      const results = await Promise.all([
        f.store.decide(c.id, 'approved', { kind: 'moderator', keyId: 'k1' }, null),
        f.store.decide(c.id, 'rejected', { kind: 'moderator', keyId: 'k2' }, null),
        f.store.decide(c.id, 'approved', { kind: 'moderator', keyId: 'k3' }, null),
      ]);
      const final = await f.store.getComment(c.id);
      const history = (await f.store.history(c.id)).slice(1);
      // Each recorded change starts from the status the previous one left.
      let status: CommentStatus = 'pending';
      for (const h of history) {
        expect(h.from).toBe(status);
        status = h.to;
      }
      expect(final?.status).toBe(status);
      expect(history.length).toBe(results.filter((r) => r?.changed).length);
    });

    it('counts comments per status and finds the oldest pending', async () => {
      const stats = await f.store.stats();
      const counts = await f.store.db.selectFrom('comments').select(['status']).execute();
      for (const s of ['pending', 'approved', 'rejected', 'spam'] as const) {
        expect(stats.counts[s]).toBe(counts.filter((x) => x.status === s).length);
      }
      const oldest = await f.store.db
        .selectFrom('comments')
        .select('created_at')
        .where('status', '=', 'pending')
        .orderBy('id')
        .executeTakeFirst();
      expect(stats.oldestPendingAt).toBe(oldest?.created_at ?? null);
    });

    it('finds recent comments with the same text', async () => {
      const hash = `same-${ulid()}`;
      const before = f.clock.now().toISOString();
      await f.store.insertComment(newComment({ textHash: hash, threadId: 't-1', ipHash: 'ip-x', authorKey: 'a-x' }));
      await f.store.insertComment(newComment({ textHash: hash, threadId: 't-2' }));
      const found = await f.store.findSameText(hash, before);
      expect(found.map((r) => r.threadId).sort()).toEqual(['t-1', 't-2']);
      expect(found.find((r) => r.threadId === 't-1')).toMatchObject({ ipHash: 'ip-x', authorKey: 'a-x' });
      f.clock.advance(1000);
      expect(await f.store.findSameText(hash, f.clock.now().toISOString())).toEqual([]);
    });

    it('stores API keys by hash and forgets revoked ones', async () => {
      const id = ulid();
      await f.store.createKey({ id, name: 'Desk', role: 'moderator', secretHash: `h-${id}`, prefix: 'duyet_abc' });
      expect(await f.store.findKeyByHash(`h-${id}`)).toMatchObject({ id, name: 'Desk', role: 'moderator' });
      expect((await f.store.listKeys()).map((k) => k.id)).toContain(id);
      expect(await f.store.revokeKey(id)).toBe(true);
      expect(await f.store.revokeKey(id)).toBe(false);
      expect(await f.store.findKeyByHash(`h-${id}`)).toBeNull();
      expect((await f.store.listKeys()).map((k) => k.id)).not.toContain(id);
    });

    it('answers a ping', async () => {
      await expect(f.store.ping()).resolves.toBeUndefined();
    });
  });
}
