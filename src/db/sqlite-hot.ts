import type { Selectable } from 'kysely';
import type { CommentHistoryTable, CommentsTable, WebhookAttemptsTable, WebhookEventsTable } from './schema.ts';
import type { LocalSqlite } from './sqlite-local.ts';

/**
 * The hot paths of a single Node + SQLite instance as prepared statements (no query building per
 * request). Each mirrors a Kysely query of the Store exactly; the Store chooses these when it owns
 * the SQLite connection, and the Kysely versions on PostgreSQL and D1.
 */

export type CommentRow = Selectable<CommentsTable>;

export type HistoryRow = Selectable<CommentHistoryTable>;

export type EventRow = Selectable<WebhookEventsTable>;

const INSERT_COMMENT = `insert into comments (id, thread_id, parent_id, author_name, author_email, author_key, body,
  original_body, status, reasons, score, ip_hash, text_hash, report_count, revision, created_at, updated_at,
  decided_at, decided_by) values (@id, @thread_id, @parent_id, @author_name, @author_email, @author_key, @body,
  @original_body, @status, @reasons, @score, @ip_hash, @text_hash, @report_count, @revision, @created_at,
  @updated_at, @decided_at, @decided_by)`;

const INSERT_HISTORY = `insert into comment_history (id, comment_id, at, actor, action, from_status, to_status, note)
  values (@id, @comment_id, @at, @actor, @action, @from_status, @to_status, @note)`;

const INSERT_EVENT = `insert into webhook_events (id, type, comment_id, payload, created_at)
  values (@id, @type, @comment_id, @payload, @created_at)`;

/** Same fan-out as `Store.eventWrites`: one delivery per enabled endpoint subscribed to the type. */
const FAN_OUT = `insert into webhook_deliveries (id, webhook_id, event_id, status, attempts, next_attempt_at, created_at, updated_at)
  select @id || '.' || w.id, w.id, @id, 'pending', 0, @at, @at, @at
  from webhooks w
  where w.enabled = 1 and (w.events like '%"*"%' or w.events like @pattern)
    and exists (select 1 from webhook_events e where e.id = @id)`;

/** The comment row alone (its indexes included): also the benchmark's floor of a durable comment. */
export function insertCommentRow(db: LocalSqlite, row: CommentRow): void {
  db.prepare(INSERT_COMMENT).run(row);
}

/** Whether any enabled endpoint takes events of a type (the fan-out's own condition). */
const SUBSCRIBED = `select 1 from webhooks where enabled = 1 and (events like '%"*"%' or events like ?) limit 1`;

/**
 * A new comment, its `created` history row and, when an enabled endpoint subscribes to its event
 * type, its webhook event with the deliveries fanned out: one group-commit unit. An event nobody
 * subscribes to would never be delivered (deliveries are fanned out when the event is written), so
 * neither it nor its JSON body is made; the check reads the webhooks table inside the same
 * transaction, so an endpoint added concurrently either sees the event or came after it. Returns the
 * number of deliveries queued.
 */
export function insertCommentUnit(
  db: LocalSqlite,
  row: CommentRow,
  history: HistoryRow,
  eventType: string,
  makeEvent: () => EventRow,
): number {
  insertCommentRow(db, row);
  db.prepare(INSERT_HISTORY).run(history);
  const pattern = `%"${eventType}"%`;
  if (db.prepare(SUBSCRIBED).get(pattern) === undefined) return 0;
  const event = makeEvent();
  db.prepare(INSERT_EVENT).run(event);
  return db.prepare(FAN_OUT).run({ id: event.id, at: event.created_at, pattern }).changes;
}

const THREAD_PAGE = {
  newest: 'select * from comments where thread_id = ? and status = ? order by id desc limit ?',
  oldest: 'select * from comments where thread_id = ? and status = ? order by id asc limit ?',
  newestAfter: 'select * from comments where thread_id = ? and status = ? and id < ? order by id desc limit ?',
  oldestAfter: 'select * from comments where thread_id = ? and status = ? and id > ? order by id asc limit ?',
};

export function threadRows(
  db: LocalSqlite,
  threadId: string,
  order: 'newest' | 'oldest',
  afterId: string | null,
  limit: number,
): CommentRow[] {
  if (afterId === null) return db.prepare(THREAD_PAGE[order]).all(threadId, 'approved', limit) as CommentRow[];
  const sql = order === 'newest' ? THREAD_PAGE.newestAfter : THREAD_PAGE.oldestAfter;
  return db.prepare(sql).all(threadId, 'approved', afterId, limit) as CommentRow[];
}

export function countApprovedRows(db: LocalSqlite, threadId: string): number {
  const row = db
    .prepare('select count(*) as n from comments where thread_id = ? and status = ?')
    .get(threadId, 'approved') as { n: number } | undefined;
  return Number(row?.n ?? 0);
}

export function sameTextRows(
  db: LocalSqlite,
  textHash: string,
  sinceIso: string,
  limit: number,
): { thread_id: string; ip_hash: string | null; author_key: string; created_at: string }[] {
  return db
    .prepare(
      'select thread_id, ip_hash, author_key, created_at from comments where text_hash = ? and created_at >= ? limit ?',
    )
    .all(textHash, sinceIso, limit) as {
    thread_id: string;
    ip_hash: string | null;
    author_key: string;
    created_at: string;
  }[];
}

/** Fingerprints of the comments with ids after `afterId` (ids are time-ordered), oldest first. */
export function recentTextRows(db: LocalSqlite, afterId: string, limit: number): { id: string; text_hash: string }[] {
  return db.prepare('select id, text_hash from comments where id > ? order by id limit ?').all(afterId, limit) as {
    id: string;
    text_hash: string;
  }[];
}

const INSERT_ATTEMPT = `insert into webhook_attempts (id, delivery_id, webhook_id, at, status_code, duration_ms, error,
  response_excerpt) values (@id, @delivery_id, @webhook_id, @at, @status_code, @duration_ms, @error, @response_excerpt)`;

/** Same as `WebhookStore.finishDelivery` for an attempted delivery, guarded by the lease owner. */
const FINISH_ATTEMPTED = `update webhook_deliveries set status = @status, attempts = attempts + 1,
  next_attempt_at = coalesce(@next_attempt_at, next_attempt_at), lease_owner = null, lease_until = null,
  last_status_code = @last_status_code, last_error = @last_error, updated_at = @updated_at
  where id = @id and lease_owner = @lease_owner`;

/**
 * An attempt's log row and its delivery's new state: one group-commit unit. Returns 1 when the lease
 * was still ours (the delivery was updated), else 0; the attempt is logged either way.
 */
export function completeAttemptUnit(
  db: LocalSqlite,
  attempt: Selectable<WebhookAttemptsTable>,
  finish: {
    id: string;
    lease_owner: string;
    status: string;
    next_attempt_at: string | null;
    last_status_code: number | null;
    last_error: string | null;
    updated_at: string;
  },
): number {
  db.prepare(INSERT_ATTEMPT).run(attempt);
  return db.prepare(FINISH_ATTEMPTED).run(finish).changes;
}
