import {
  type Compilable,
  type CompiledQuery,
  type Kysely,
  type QueryResult,
  type Selectable,
  type SelectQueryBuilder,
  sql,
} from 'kysely';
import { DomainError } from '../core/errors.ts';
import type { Clock, CommentRecord, CommentStatus, ModeratedComment, Reason } from '../core/types.ts';
import { ulid, ulidFloor } from '../lib/ids.ts';
import { toModerated, toRecord } from './mappers.ts';
import { RecentTextFilter } from './recent-text-filter.ts';
import type { ApiKeysTable, CommentHistoryTable, Database } from './schema.ts';
import { countApprovedRows, insertCommentUnit, recentTextRows, sameTextRows, threadRows } from './sqlite-hot.ts';
import type { LocalSqlite } from './sqlite-local.ts';
import { ThreadChanges } from './thread-changes.ts';

export type Dialect = 'sqlite' | 'postgres' | 'd1';

/** One statement of an atomic unit: a Kysely builder or an already compiled query. */
export type Write = Compilable | CompiledQuery;

/** A Kysely instance and what kind of database it talks to; one per runtime adapter. */
export interface DbHandle {
  db: Kysely<Database>;
  dialect: Dialect;
  /**
   * Runs statements as one atomic unit without a transaction object (D1's `batch()`). Absent on
   * SQLite and PostgreSQL, where the store uses a transaction instead.
   */
  batch?: (queries: CompiledQuery[]) => Promise<QueryResult<unknown>[]>;
  /**
   * The process's own SQLite connection (Node): hot paths use its prepared statements and group
   * commit. Absent on PostgreSQL and D1.
   */
  local?: LocalSqlite;
  close(): Promise<void>;
}

/**
 * How far back the recent-text filter vouches for (two days): the duplicate rule looks back one day
 * by default; a longer window than this goes to the database every time.
 */
export const RECENT_TEXT_MS = 2 * 86_400_000;

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

/** The filters moderators narrow a comment list with (the queue and the Reported view alike). */
export interface CommentFilters {
  threadId?: string | undefined;
  /** A reason code the comment was held for. */
  reason?: string | undefined;
  /** Text in the body, author name or email (case-insensitive on PostgreSQL). */
  q?: string | undefined;
}

/**
 * Adds {@link CommentFilters} to a query on `comments`. SQLite's LIKE has no default escape
 * character: one is named, so `_` and `%` in a filter are literal.
 */
export function filterComments<O>(
  query: SelectQueryBuilder<Database, 'comments', O>,
  f: CommentFilters,
  dialect: Dialect,
): SelectQueryBuilder<Database, 'comments', O> {
  let out = query;
  if (f.threadId) out = out.where('thread_id', '=', f.threadId);
  if (f.reason) {
    const pattern = `%"code":"${escapeLike(f.reason)}"%`;
    out = out.where(sql<boolean>`reasons like ${pattern} escape '\\'`);
  }
  if (f.q) {
    const pattern = `%${escapeLike(f.q)}%`;
    const like = dialect === 'postgres' ? sql.raw('ilike') : sql.raw('like');
    out = out.where(
      sql<boolean>`(body ${like} ${pattern} escape '\\' or author_name ${like} ${pattern} escape '\\' or author_email ${like} ${pattern} escape '\\')`,
    );
  }
  return out;
}

/**
 * Every read and write of the service's data, for SQLite, D1 and PostgreSQL alike. State changes that
 * touch several tables (a comment, its history and its webhook events) happen in one unit of writes (`runWrites`), so
 * an event is recorded if and only if its change is.
 */
export class Store {
  readonly db: Kysely<Database>;
  readonly dialect: Dialect;
  /**
   * Committed changes per thread, for caches of thread pages. Complete only when this process makes
   * every write (`pageCacheable`): a single Node + SQLite instance.
   */
  readonly threadChanges = new ThreadChanges();
  private readonly local: LocalSqlite | null;
  /** Fingerprints stored lately, in front of the duplicate lookup (local SQLite only). */
  private readonly recentText: RecentTextFilter | null;

  constructor(
    readonly handle: DbHandle,
    readonly clock: Clock,
  ) {
    this.db = handle.db;
    this.dialect = handle.dialect;
    this.local = handle.local ?? null;
    // Writes to comments made through Kysely anywhere (decisions, reports, retention) may touch any
    // thread: they make every cached page stale.
    this.local?.onCommentsWrite.add(() => this.threadChanges.all());
    this.recentText = this.local ? new RecentTextFilter({ generationMs: RECENT_TEXT_MS }) : null;
  }

  /** The process's own SQLite connection with group commit (Node + SQLite), else null. */
  get localSqlite(): LocalSqlite | null {
    return this.local;
  }

  /**
   * Fills the recent-text filter with the fingerprints of the comments stored in the last
   * {@link RECENT_TEXT_MS} (in chunks, yielding between them); until it is done, the duplicate lookup
   * goes to the database. Local SQLite only: PostgreSQL and D1 are shared with other instances.
   */
  async loadRecentText(chunk = 2000): Promise<number> {
    const filter = this.recentText;
    const local = this.local;
    if (!filter || !local) return 0;
    const now = this.clock.now().getTime();
    const from = now - RECENT_TEXT_MS;
    let after = ulidFloor(from);
    let loaded = 0;
    for (;;) {
      const rows = await local.exclusive((db) => recentTextRows(db, after, chunk));
      for (const r of rows) filter.add(r.text_hash, this.clock.now().getTime());
      loaded += rows.length;
      const last = rows[rows.length - 1];
      if (!last || rows.length < chunk) break;
      after = last.id;
      await new Promise((r) => setTimeout(r, 0));
    }
    filter.start(this.clock.now().getTime(), from);
    return loaded;
  }

  /**
   * Whether thread pages may be cached in this process: only when it owns the database (SQLite).
   * With PostgreSQL other instances write too, and a Worker isolate sees no one else's writes.
   */
  get pageCacheable(): boolean {
    return this.local !== null;
  }

  private nowIso(): string {
    return this.clock.now().toISOString();
  }

  /**
   * Runs writes as one atomic unit: a transaction on SQLite and PostgreSQL, a batch on D1. Writes are
   * built up front and guarded in SQL (not by reading in between), so the same list works on all three.
   */
  async runWrites(writes: Write[]): Promise<QueryResult<unknown>[]> {
    const compiled = writes.map((w) => ('compile' in w ? w.compile() : w));
    if (this.handle.batch) return this.handle.batch(compiled);
    return this.db.transaction().execute(async (trx) => {
      const results: QueryResult<unknown>[] = [];
      for (const q of compiled) results.push(await trx.executeQuery(q));
      return results;
    });
  }

  async ping(): Promise<void> {
    await sql`select 1`.execute(this.db);
  }

  // ---------------------------------------------------------------- comments

  /** Stores a new comment with its `created` history entry and the webhook event for its status. */
  async insertComment(c: NewComment): Promise<CommentRecord> {
    return (await this.insertCommentWithOutbox(c)).comment;
  }

  /**
   * `insertComment`, also telling how many webhook deliveries it queued (null when the database does
   * not say), so the caller wakes the dispatcher only when there is something to deliver. On SQLite
   * the unit joins the next group commit and resolves after that commit.
   */
  async insertCommentWithOutbox(c: NewComment): Promise<{ comment: CommentRecord; queuedDeliveries: number | null }> {
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
      revision: ulid(),
      created_at: now,
      updated_at: now,
      decided_at: c.status === 'pending' ? null : now,
      decided_by: c.status === 'pending' ? null : 'auto',
    };
    const record = toRecord(row);
    if (this.local) {
      const at = Date.parse(now);
      const type = EVENT_FOR_STATUS[c.status];
      const history = {
        id: ulid(at),
        comment_id: c.id,
        at: now,
        actor: 'auto',
        action: 'created',
        from_status: null,
        to_status: c.status,
        note: null,
      };
      const makeEvent = () => {
        const event = this.eventRecord(type, record, { by: 'auto' }, now);
        return { id: event.id, type, comment_id: c.id, payload: event.payload, created_at: now };
      };
      // Into the duplicate filter before the commit: a twin posted meanwhile is then looked up.
      this.recentText?.add(c.textHash, at);
      const queued = await this.local.write(
        (db) => insertCommentUnit(db, row, history, type, makeEvent),
        () => this.threadChanges.changed(c.threadId),
      );
      return { comment: record, queuedDeliveries: queued };
    }
    const results = await this.runWrites([
      this.db.insertInto('comments').values(row),
      this.historyWrite({
        commentId: c.id,
        actor: 'auto',
        action: 'created',
        from: null,
        to: c.status,
        note: null,
        at: now,
      }),
      ...this.eventWrites(EVENT_FOR_STATUS[c.status], record, { by: 'auto' }, now),
    ]);
    this.threadChanges.changed(c.threadId);
    const fanOut = results[3]?.numAffectedRows;
    return { comment: record, queuedDeliveries: fanOut === undefined ? null : Number(fanOut) };
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
    if (this.local) {
      const after = q.cursor ? decodeCursor(q.cursor) : null;
      const rows = await this.local.exclusive((db) => threadRows(db, threadId, q.order, after, q.limit + 1));
      return this.page(rows, q.limit);
    }
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
    if (this.local) return this.local.exclusive((db) => countApprovedRows(db, threadId));
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
    const filter = this.recentText;
    if (filter?.covers(Date.parse(sinceIso), this.clock.now().getTime()) && !filter.mightContain(textHash)) {
      return [];
    }
    const rows = this.local
      ? await this.local.exclusive((db) => sameTextRows(db, textHash, sinceIso, limit))
      : await this.db
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
    let query = filterComments(
      this.db.selectFrom('comments').selectAll().where('status', '=', q.status),
      q,
      this.dialect,
    );
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
      const revision = ulid();
      const next: CommentRecord = {
        ...current,
        status: to,
        updatedAt: now,
        decidedAt: now,
        decidedBy: actorId(actor),
        revision,
        ...(extra?.reasons ? { reasons: extra.reasons } : {}),
      };
      // Each guarded write applies only if the update above it did: only it wrote this revision.
      const applied = sql<boolean>`exists (select 1 from comments where id = ${id} and revision = ${revision})`;
      const decision =
        actor.kind === 'moderator'
          ? { by: 'moderator', keyId: actor.keyId, ...(note ? { note } : {}) }
          : { by: actor.kind === 'readers' ? 'readers' : 'auto', ...(note ? { note } : {}) };
      const [update] = await this.runWrites([
        this.db
          .updateTable('comments')
          .set({
            status: to,
            updated_at: now,
            decided_at: now,
            decided_by: actorId(actor),
            revision,
            ...(extra?.reasons ? { reasons: JSON.stringify(extra.reasons) } : {}),
          })
          .where('id', '=', id)
          .where('revision', '=', current.revision),
        this.historyWrite(
          { commentId: id, actor: actorId(actor), action, from: current.status, to, note, at: now },
          applied,
        ),
        ...(current.status !== to ? this.eventWrites(EVENT_FOR_STATUS[to], next, decision, now, applied) : []),
      ]);
      if (Number(update?.numAffectedRows ?? 0) > 0) {
        this.threadChanges.changed(current.threadId);
        return { comment: next, from: current.status, changed: current.status !== to };
      }
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

  /** A history row; with `guard`, written only when the guard holds at that point of the unit. */
  historyWrite(
    h: {
      commentId: string;
      actor: string;
      action: string;
      from: CommentStatus | null;
      to: CommentStatus;
      note: string | null;
      at: string;
    },
    guard?: ReturnType<typeof sql<boolean>>,
  ): Write {
    const id = ulid(Date.parse(h.at));
    if (!guard) {
      return this.db.insertInto('comment_history').values({
        id,
        comment_id: h.commentId,
        at: h.at,
        actor: h.actor,
        action: h.action,
        from_status: h.from,
        to_status: h.to,
        note: h.note,
      });
    }
    return sql`
      insert into comment_history (id, comment_id, at, actor, action, from_status, to_status, note)
      select ${id}, ${h.commentId}, ${h.at}, ${h.actor}, ${h.action}, ${h.from}, ${h.to}, ${h.note}
      where ${guard}
    `.compile(this.db);
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

  /** An event's id and the JSON body its deliveries will carry, fixed now. */
  private eventRecord(
    type: EventType | string,
    comment: CommentRecord | null,
    decision: Record<string, unknown>,
    at: string,
    data?: Record<string, unknown>,
  ): { id: string; payload: string } {
    const id = `msg_${ulid(Date.parse(at))}`;
    const payload = JSON.stringify({
      type,
      timestamp: at,
      data: data ?? { comment: comment ? (toModerated(comment) as ModeratedComment) : null, decision },
    });
    return { id, payload };
  }

  /**
   * An event and one delivery per enabled, subscribed endpoint, for the caller's unit of writes.
   * Delivery ids are `<eventId>.<webhookId>`, so the fan-out needs no generated ids in SQL; the
   * fan-out is guarded by the event row, so it follows the event's own guard.
   */
  eventWrites(
    type: EventType | string,
    comment: CommentRecord | null,
    decision: Record<string, unknown>,
    at: string,
    guard?: ReturnType<typeof sql<boolean>>,
    data?: Record<string, unknown>,
  ): Write[] {
    const { id, payload } = this.eventRecord(type, comment, decision, at, data);
    const pattern = `%"${type}"%`;
    // Recorded only when an enabled endpoint takes this type: deliveries are fanned out from the
    // event as it is written, so an event nobody subscribes to would never be sent to anyone.
    const subscribed = sql<boolean>`exists (select 1 from webhooks s where s.enabled = 1 and (s.events like '%"*"%' or s.events like ${pattern}))`;
    const event = sql`
      insert into webhook_events (id, type, comment_id, payload, created_at)
      select ${id}, ${type}, ${comment?.id ?? null}, ${payload}, ${at}
      where ${subscribed}${guard ? sql` and ${guard}` : sql``}
    `.compile(this.db);
    const fanOut = sql`
      insert into webhook_deliveries (id, webhook_id, event_id, status, attempts, next_attempt_at, created_at, updated_at)
      select ${id} || '.' || w.id, w.id, ${id}, 'pending', 0, ${at}, ${at}, ${at}
      from webhooks w
      where w.enabled = 1 and (w.events like '%"*"%' or w.events like ${pattern})
        and exists (select 1 from webhook_events e where e.id = ${id})
    `.compile(this.db);
    return [event, fanOut];
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
