import { type Kysely, type Selectable, sql, type Transaction } from 'kysely';
import { DomainError } from '../core/errors.ts';
import type { Clock, CommentRecord, CommentStatus, ModeratedComment, Reason } from '../core/types.ts';
import { ulid } from '../lib/ids.ts';
import { toModerated, toRecord } from './mappers.ts';
import type { ApiKeysTable, CommentHistoryTable, Database } from './schema.ts';

export type Dialect = 'sqlite' | 'postgres' | 'd1';

/** A Kysely instance and what kind of database it talks to; one per runtime adapter. */
export interface DbHandle {
  db: Kysely<Database>;
  dialect: Dialect;
  close(): Promise<void>;
}

type Executor = Kysely<Database> | Transaction<Database>;

export type EventType = 'comment.approved' | 'comment.pending' | 'comment.rejected' | 'comment.spam';

export const EVENT_FOR_STATUS: Record<CommentStatus, EventType> = {
  approved: 'comment.approved',
  pending: 'comment.pending',
  rejected: 'comment.rejected',
  spam: 'comment.spam',
};

/** Who made a change: the pipeline (`auto`), readers' reports, or a moderator's key. */
export type Actor = { kind: 'auto' } | { kind: 'readers' } | { kind: 'moderator'; keyId: string };

function actorId(actor: Actor): string {
  return actor.kind === 'moderator' ? actor.keyId : actor.kind;
}

export interface NewComment {
  id: string;
  threadId: string;
  parentId: string | null;
  authorName: string;
  authorEmail: string | null;
  authorKey: string;
  body: string;
  originalBody: string | null;
  status: CommentStatus;
  reasons: Reason[];
  score: number;
  ipHash: string | null;
  textHash: string;
}

export interface HistoryEntry {
  id: string;
  at: string;
  actor: string;
  action: string;
  from: CommentStatus | null;
  to: CommentStatus;
  note: string | null;
}

export interface Page<T> {
  items: T[];
  nextCursor: string | null;
}

export interface ThreadQuery {
  limit: number;
  cursor: string | null;
  order: 'newest' | 'oldest';
}

export interface ModerationQuery {
  status: CommentStatus;
  threadId?: string | undefined;
  q?: string | undefined;
  reason?: string | undefined;
  limit: number;
  cursor: string | null;
}

export interface DecisionResult {
  comment: CommentRecord;
  from: CommentStatus;
  changed: boolean;
}

export interface ApiKey {
  id: string;
  name: string;
  role: 'admin' | 'moderator';
  prefix: string;
  createdAt: string;
  lastUsedAt: string | null;
}

export function encodeCursor(id: string): string {
  return btoa(id).replace(/=+$/, '');
}

/** Cursors are opaque; one that does not decode to an id is the client's error, not ours. */
export function decodeCursor(cursor: string): string {
  try {
    const id = atob(cursor);
    if (/^[0-9A-Z]{26}$/.test(id)) return id;
  } catch {
    // fall through
  }
  throw new DomainError('VALIDATION_FAILED', {}, { field: 'cursor', problem: 'invalid cursor' });
}

function escapeLike(text: string): string {
  return text.replace(/[\\%_]/g, (c) => `\\${c}`);
}

/**
 * Every read and write of the service's data, for SQLite, D1 and PostgreSQL alike. State changes that
 * touch several tables (a comment, its history and its webhook events) happen in one `atomic` unit, so
 * an event is recorded if and only if its change is.
 */
export class Store {
  readonly db: Kysely<Database>;
  readonly dialect: Dialect;

  constructor(
    readonly handle: DbHandle,
    readonly clock: Clock,
  ) {
    this.db = handle.db;
    this.dialect = handle.dialect;
  }

  private nowIso(): string {
    return this.clock.now().toISOString();
  }

  /** Runs several writes as one unit (a transaction on SQLite and PostgreSQL). */
  atomic<T>(fn: (trx: Executor) => Promise<T>): Promise<T> {
    return this.db.transaction().execute(fn);
  }

  async ping(): Promise<void> {
    await sql`select 1`.execute(this.db);
  }

  // ---------------------------------------------------------------- comments

  /** Stores a new comment with its `created` history entry and the webhook event for its status. */
  async insertComment(c: NewComment): Promise<CommentRecord> {
    const now = this.nowIso();
    const row = {
      id: c.id,
      thread_id: c.threadId,
      parent_id: c.parentId,
      author_name: c.authorName,
      author_email: c.authorEmail,
      author_key: c.authorKey,
      body: c.body,
      original_body: c.originalBody,
      status: c.status,
      reasons: JSON.stringify(c.reasons),
      score: c.score,
      ip_hash: c.ipHash,
      text_hash: c.textHash,
      report_count: 0,
      created_at: now,
      updated_at: now,
      decided_at: c.status === 'pending' ? null : now,
      decided_by: c.status === 'pending' ? null : 'auto',
    };
    const record = toRecord(row);
    await this.atomic(async (trx) => {
      await trx.insertInto('comments').values(row).execute();
      await this.appendHistory(trx, {
        commentId: c.id,
        actor: 'auto',
        action: 'created',
        from: null,
        to: c.status,
        note: null,
        at: now,
      });
      await this.recordEvent(trx, EVENT_FOR_STATUS[c.status], record, { by: 'auto' }, now);
    });
    return record;
  }

  async getComment(id: string): Promise<CommentRecord | null> {
    const row = await this.db.selectFrom('comments').selectAll().where('id', '=', id).executeTakeFirst();
    return row ? toRecord(row) : null;
  }

  async getComments(ids: readonly string[]): Promise<CommentRecord[]> {
    if (ids.length === 0) return [];
    const rows = await this.db.selectFrom('comments').selectAll().where('id', 'in', ids).execute();
    return rows.map(toRecord);
  }

  /** Approved comments of a thread, newest or oldest first, with an opaque cursor. */
  async listThread(threadId: string, q: ThreadQuery): Promise<Page<CommentRecord>> {
    let query = this.db
      .selectFrom('comments')
      .selectAll()
      .where('thread_id', '=', threadId)
      .where('status', '=', 'approved');
    if (q.cursor) query = query.where('id', q.order === 'newest' ? '<' : '>', decodeCursor(q.cursor));
    const rows = await query
      .orderBy('id', q.order === 'newest' ? 'desc' : 'asc')
      .limit(q.limit + 1)
      .execute();
    return this.page(rows, q.limit);
  }

  async countApproved(threadId: string): Promise<number> {
    const row = await this.db
      .selectFrom('comments')
      .select((eb) => eb.fn.countAll<string | number>().as('n'))
      .where('thread_id', '=', threadId)
      .where('status', '=', 'approved')
      .executeTakeFirst();
    return Number(row?.n ?? 0);
  }

  private page(rows: Selectable<Database['comments']>[], limit: number): Page<CommentRecord> {
    const more = rows.length > limit;
    const items = (more ? rows.slice(0, limit) : rows).map(toRecord);
    const last = items[items.length - 1];
    return { items, nextCursor: more && last ? encodeCursor(last.id) : null };
  }

  /** Recent comments with the same normalised text, for duplicate and cross-thread spam detection. */
  async findSameText(
    textHash: string,
    sinceIso: string,
    limit = 100,
  ): Promise<{ threadId: string; ipHash: string | null; authorKey: string; createdAt: string }[]> {
    const rows = await this.db
      .selectFrom('comments')
      .select(['thread_id', 'ip_hash', 'author_key', 'created_at'])
      .where('text_hash', '=', textHash)
      .where('created_at', '>=', sinceIso)
      .limit(limit)
      .execute();
    return rows.map((r) => ({
      threadId: r.thread_id,
      ipHash: r.ip_hash,
      authorKey: r.author_key,
      createdAt: r.created_at,
    }));
  }

  /** The moderation queue: `pending` oldest first (first in, first triaged), other statuses newest first. */
  async listModeration(q: ModerationQuery): Promise<Page<CommentRecord>> {
    const ascending = q.status === 'pending';
    let query = this.db.selectFrom('comments').selectAll().where('status', '=', q.status);
    if (q.threadId) query = query.where('thread_id', '=', q.threadId);
    if (q.reason) query = query.where('reasons', 'like', `%"code":"${escapeLike(q.reason)}"%`);
    if (q.q) {
      const pattern = `%${escapeLike(q.q)}%`;
      const op = this.dialect === 'postgres' ? 'ilike' : 'like';
      query = query.where((eb) =>
        eb.or([eb('body', op, pattern), eb('author_name', op, pattern), eb('author_email', op, pattern)]),
      );
    }
    if (q.cursor) query = query.where('id', ascending ? '>' : '<', decodeCursor(q.cursor));
    const rows = await query
      .orderBy('id', ascending ? 'asc' : 'desc')
      .limit(q.limit + 1)
      .execute();
    return this.page(rows, q.limit);
  }

  /**
   * Moves a comment to `to`, whatever its status was. The write is guarded by the status it was read
   * with, so two moderators deciding at once cannot both record a change from the same state: the
   * loser re-reads and either finds its decision already made (a no-op) or applies it on top.
   */
  async decide(
    id: string,
    to: CommentStatus,
    actor: Actor,
    note: string | null,
    action: string = to === 'approved' ? 'approve' : to === 'rejected' ? 'reject' : to === 'spam' ? 'spam' : 'hold',
    extra?: { reasons?: Reason[] },
  ): Promise<DecisionResult | null> {
    for (let attempt = 0; attempt < 5; attempt++) {
      const current = await this.getComment(id);
      if (!current) return null;
      if (current.status === to && !extra?.reasons) return { comment: current, from: current.status, changed: false };
      const now = this.nowIso();
      const result = await this.atomic(async (trx) => {
        const updated = await trx
          .updateTable('comments')
          .set({
            status: to,
            updated_at: now,
            decided_at: now,
            decided_by: actorId(actor),
            ...(extra?.reasons ? { reasons: JSON.stringify(extra.reasons) } : {}),
          })
          .where('id', '=', id)
          .where('status', '=', current.status)
          .where('updated_at', '=', current.updatedAt)
          .returningAll()
          .executeTakeFirst();
        if (!updated) return null;
        const record = toRecord(updated);
        await this.appendHistory(trx, {
          commentId: id,
          actor: actorId(actor),
          action,
          from: current.status,
          to,
          note,
          at: now,
        });
        if (current.status !== to) {
          await this.recordEvent(
            trx,
            EVENT_FOR_STATUS[to],
            record,
            actor.kind === 'moderator'
              ? { by: 'moderator', keyId: actor.keyId, ...(note ? { note } : {}) }
              : { by: actor.kind === 'readers' ? 'readers' : 'auto', ...(note ? { note } : {}) },
            now,
          );
        }
        return record;
      });
      if (result) return { comment: result, from: current.status, changed: current.status !== to };
    }
    throw new DomainError('CONFLICT');
  }

  async history(commentId: string): Promise<HistoryEntry[]> {
    const rows = await this.db
      .selectFrom('comment_history')
      .selectAll()
      .where('comment_id', '=', commentId)
      .orderBy('id', 'asc')
      .execute();
    return rows.map((r: Selectable<CommentHistoryTable>) => ({
      id: r.id,
      at: r.at,
      actor: r.actor,
      action: r.action,
      from: r.from_status as CommentStatus | null,
      to: r.to_status as CommentStatus,
      note: r.note,
    }));
  }

  async appendHistory(
    trx: Executor,
    h: {
      commentId: string;
      actor: string;
      action: string;
      from: CommentStatus | null;
      to: CommentStatus;
      note: string | null;
      at: string;
    },
  ): Promise<void> {
    await trx
      .insertInto('comment_history')
      .values({
        id: ulid(Date.parse(h.at)),
        comment_id: h.commentId,
        at: h.at,
        actor: h.actor,
        action: h.action,
        from_status: h.from,
        to_status: h.to,
        note: h.note,
      })
      .execute();
  }

  async stats(): Promise<{ counts: Record<CommentStatus, number>; oldestPendingAt: string | null }> {
    const rows = await this.db
      .selectFrom('comments')
      .select(['status', (eb) => eb.fn.countAll<string | number>().as('n')])
      .groupBy('status')
      .execute();
    const counts: Record<CommentStatus, number> = { pending: 0, approved: 0, rejected: 0, spam: 0 };
    for (const r of rows) if (r.status in counts) counts[r.status as CommentStatus] = Number(r.n);
    const oldest = await this.db
      .selectFrom('comments')
      .select('created_at')
      .where('status', '=', 'pending')
      .orderBy('id', 'asc')
      .limit(1)
      .executeTakeFirst();
    return { counts, oldestPendingAt: oldest?.created_at ?? null };
  }

  // ---------------------------------------------------------------- webhook outbox

  /**
   * Records an event and one delivery per enabled, subscribed endpoint, inside the caller's unit of
   * work. Delivery ids are `<eventId>.<webhookId>`, so the fan-out needs no generated ids in SQL.
   */
  async recordEvent(
    trx: Executor,
    type: EventType | string,
    comment: CommentRecord | null,
    decision: Record<string, unknown>,
    at: string,
    data?: Record<string, unknown>,
  ): Promise<string> {
    const id = `msg_${ulid(Date.parse(at))}`;
    const payload = {
      type,
      timestamp: at,
      data: data ?? { comment: comment ? (toModerated(comment) as ModeratedComment) : null, decision },
    };
    await trx
      .insertInto('webhook_events')
      .values({ id, type, comment_id: comment?.id ?? null, payload: JSON.stringify(payload), created_at: at })
      .execute();
    await sql`
      insert into webhook_deliveries (id, webhook_id, event_id, status, attempts, next_attempt_at, created_at, updated_at)
      select ${id} || '.' || id, id, ${id}, 'pending', 0, ${at}, ${at}, ${at}
      from webhooks
      where enabled = 1 and (events like '%"*"%' or events like ${`%"${type}"%`})
    `.execute(trx);
    return id;
  }

  // ---------------------------------------------------------------- API keys

  async createKey(k: { id: string; name: string; role: 'admin' | 'moderator'; secretHash: string; prefix: string }) {
    const now = this.nowIso();
    await this.db
      .insertInto('api_keys')
      .values({
        id: k.id,
        name: k.name,
        role: k.role,
        secret_hash: k.secretHash,
        prefix: k.prefix,
        created_at: now,
        last_used_at: null,
        revoked_at: null,
      })
      .execute();
    return { id: k.id, name: k.name, role: k.role, prefix: k.prefix, createdAt: now, lastUsedAt: null } as ApiKey;
  }

  async findKeyByHash(secretHash: string): Promise<ApiKey | null> {
    const row = await this.db
      .selectFrom('api_keys')
      .selectAll()
      .where('secret_hash', '=', secretHash)
      .where('revoked_at', 'is', null)
      .executeTakeFirst();
    return row ? toApiKey(row) : null;
  }

  async listKeys(): Promise<ApiKey[]> {
    const rows = await this.db
      .selectFrom('api_keys')
      .selectAll()
      .where('revoked_at', 'is', null)
      .orderBy('id', 'asc')
      .execute();
    return rows.map(toApiKey);
  }

  async revokeKey(id: string): Promise<boolean> {
    const res = await this.db
      .updateTable('api_keys')
      .set({ revoked_at: this.nowIso() })
      .where('id', '=', id)
      .where('revoked_at', 'is', null)
      .executeTakeFirst();
    return Number(res.numUpdatedRows) > 0;
  }

  async touchKey(id: string): Promise<void> {
    await this.db.updateTable('api_keys').set({ last_used_at: this.nowIso() }).where('id', '=', id).execute();
  }
}

function toApiKey(row: Selectable<ApiKeysTable>): ApiKey {
  return {
    id: row.id,
    name: row.name,
    role: row.role === 'admin' ? 'admin' : 'moderator',
    prefix: row.prefix,
    createdAt: row.created_at,
    lastUsedAt: row.last_used_at,
  };
}
