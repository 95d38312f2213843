import { type Selectable, sql } from 'kysely';
import { DomainError } from '../core/errors.ts';
import type { Ban, CommentRecord, CommentStatus, Reason, ReportReason } from '../core/types.ts';

export type { Ban };

import { ulid } from '../lib/ids.ts';
import { toModerated, toRecord } from './mappers.ts';
import type { BansTable, ReportsTable } from './schema.ts';
import { EVENT_FOR_STATUS, filterComments, type Page, type Store, type Write } from './store.ts';

/**
 * Reader reports and author bans: the only place with their SQL. Like the Store, every change is one
 * unit of writes guarded in SQL (a comment's revision, a report's id, a ban's lift time), never a read
 * between writes, so the same code is safe on SQLite, PostgreSQL with several instances, and D1.
 */

/** The reason a comment carries once readers' reports have hidden it. */
export const READER_REPORTS = 'READER_REPORTS';

/** A reader report as moderators see it: never the client key. */
export interface ReaderReport {
  reason: ReportReason;
  note: string | null;
  createdAt: string;
}

export interface NewBan {
  email: string | null;
  ipHash: string | null;
  commentId: string | null;
  reason: string;
  until: string | null;
  keyId: string;
}

export interface ReportedQuery {
  threadId?: string | undefined;
  q?: string | undefined;
  reason?: string | undefined;
  limit: number;
  cursor: string | null;
}

type Guard = ReturnType<typeof sql<boolean>>;

/** The Reported view pages by (report count, id); its cursor carries both, opaquely. */
function encodeReportedCursor(count: number, id: string): string {
  return btoa(`${count}:${id}`).replace(/=+$/, '');
}

function decodeReportedCursor(cursor: string): { count: number; id: string } {
  try {
    const m = /^(\d{1,9}):([0-9A-Z]{26})$/.exec(atob(cursor));
    if (m?.[1] && m[2]) return { count: Number(m[1]), id: m[2] };
  } catch {
    // fall through
  }
  throw new DomainError('VALIDATION_FAILED', {}, { field: 'cursor', problem: 'invalid cursor' });
}

function toBan(row: Selectable<BansTable>, nowIso: string): Ban {
  return {
    id: row.id,
    email: row.email,
    byIp: row.ip_hash !== null,
    commentId: row.comment_id,
    reason: row.reason,
    until: row.until,
    createdAt: row.created_at,
    createdBy: row.created_by,
    liftedAt: row.lifted_at,
    liftedBy: row.lifted_by,
    active: row.lifted_at === null && (row.until === null || row.until > nowIso),
  };
}

function toReport(row: Pick<Selectable<ReportsTable>, 'reason' | 'note' | 'created_at'>): ReaderReport {
  return { reason: row.reason as ReportReason, note: row.note, createdAt: row.created_at };
}

/** "spam 2, abuse 1": the reasons readers gave, most given first. */
export function summariseReports(reports: readonly ReaderReport[]): string {
  const counts = new Map<string, number>();
  for (const r of reports) counts.set(r.reason, (counts.get(r.reason) ?? 0) + 1);
  return [...counts]
    .sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]))
    .map(([reason, n]) => `${reason} ${n}`)
    .join(', ');
}

export class CommunityStore {
  constructor(readonly store: Store) {}

  private get db() {
    return this.store.db;
  }

  private nowIso(): string {
    return this.store.clock.now().toISOString();
  }

  /**
   * A guarded status (or report) change of one comment read at `current.revision`: the update applies
   * only if nobody changed the comment since, and its history and events only if the update applied.
   */
  private changeWrites(
    current: CommentRecord,
    change: {
      to: CommentStatus;
      actorId: string;
      decision: Record<string, unknown>;
      action: string;
      note: string | null;
      reasons?: Reason[];
      clearReports?: boolean;
      /** Decisions stamp decided_at/by; a dismissal that keeps the status does not. */
      decides: boolean;
      at: string;
    },
  ): { writes: Write[]; next: CommentRecord; applied: Guard } {
    const revision = ulid(Date.parse(change.at));
    const next: CommentRecord = {
      ...current,
      status: change.to,
      updatedAt: change.at,
      revision,
      ...(change.decides ? { decidedAt: change.at, decidedBy: change.actorId } : {}),
      ...(change.reasons ? { reasons: change.reasons } : {}),
      ...(change.clearReports ? { reportCount: 0 } : {}),
    };
    const applied = sql<boolean>`exists (select 1 from comments where id = ${current.id} and revision = ${revision})`;
    const writes: Write[] = [
      this.db
        .updateTable('comments')
        .set({
          status: change.to,
          updated_at: change.at,
          revision,
          ...(change.decides ? { decided_at: change.at, decided_by: change.actorId } : {}),
          ...(change.reasons ? { reasons: JSON.stringify(change.reasons) } : {}),
          ...(change.clearReports ? { report_count: 0 } : {}),
        })
        .where('id', '=', current.id)
        .where('revision', '=', current.revision),
      this.store.historyWrite(
        {
          commentId: current.id,
          actor: change.actorId,
          action: change.action,
          from: current.status,
          to: change.to,
          note: change.note,
          at: change.at,
        },
        applied,
      ),
    ];
    if (change.clearReports) {
      writes.push(
        sql`
          update reports set dismissed_at = ${change.at}, dismissed_by = ${change.actorId}
          where comment_id = ${current.id} and dismissed_at is null and ${applied}
        `.compile(this.db),
      );
    }
    if (current.status !== change.to) {
      writes.push(...this.store.eventWrites(EVENT_FOR_STATUS[change.to], next, change.decision, change.at, applied));
    }
    return { writes, next, applied };
  }

  // ---------------------------------------------------------------- reports

  /**
   * Records one client's report of a published comment and counts it. False when this client had
   * already reported it (or it is no longer published): a repeat changes nothing.
   */
  async addReport(r: {
    commentId: string;
    clientKey: string;
    reason: ReportReason;
    note: string | null;
  }): Promise<boolean> {
    const at = this.nowIso();
    const id = ulid(Date.parse(at));
    const [insert] = await this.store.runWrites([
      sql`
        insert into reports (id, comment_id, client_key, reason, note, created_at)
        select ${id}, ${r.commentId}, ${r.clientKey}, ${r.reason}, ${r.note}, ${at}
        where exists (select 1 from comments where id = ${r.commentId} and status = 'approved')
        on conflict (comment_id, client_key) do nothing
      `.compile(this.db),
      // Counted only if this very report row went in; an increment stays right under concurrency.
      sql`
        update comments set report_count = report_count + 1
        where id = ${r.commentId} and exists (select 1 from reports where id = ${id})
      `.compile(this.db),
    ]);
    return Number(insert?.numAffectedRows ?? 0) > 0;
  }

  /** Active (not dismissed) reports per comment, oldest first. */
  async reportsOf(commentIds: readonly string[]): Promise<Map<string, ReaderReport[]>> {
    const out = new Map<string, ReaderReport[]>();
    if (commentIds.length === 0) return out;
    const rows = await this.db
      .selectFrom('reports')
      .select(['comment_id', 'reason', 'note', 'created_at'])
      .where('comment_id', 'in', [...new Set(commentIds)])
      .where('dismissed_at', 'is', null)
      .orderBy('id', 'asc')
      .execute();
    for (const row of rows) {
      const list = out.get(row.comment_id) ?? [];
      list.push(toReport(row));
      out.set(row.comment_id, list);
    }
    return out;
  }

  /**
   * Sends a published comment back to `pending` once `threshold` distinct clients have reported it,
   * with a READER_REPORTS reason (its other reasons kept), a history entry by `readers` and the
   * `comment.pending` and `comment.reported` events, in one unit. A comment a moderator already
   * published over readers' reports (it still carries READER_REPORTS) is left to the Reported view.
   */
  async hideIfReported(id: string, threshold: number): Promise<CommentRecord | null> {
    for (let attempt = 0; attempt < 5; attempt++) {
      const current = await this.store.getComment(id);
      if (current?.status !== 'approved' || current.reportCount < threshold) return null;
      if (current.reasons.some((r) => r.code === READER_REPORTS)) return null;
      const reports = (await this.reportsOf([id])).get(id) ?? [];
      const summary = summariseReports(reports);
      const at = this.nowIso();
      const decision = { by: 'readers' };
      const { writes, next, applied } = this.changeWrites(current, {
        to: 'pending',
        actorId: 'readers',
        decision,
        action: 'hide',
        note: summary,
        reasons: [...current.reasons, { code: READER_REPORTS, rule: 'reports', detail: summary }],
        decides: true,
        at,
      });
      const reported = this.store.eventWrites('comment.reported', next, decision, at, applied, {
        comment: toModerated(next),
        decision,
        reports: { count: current.reportCount, reasons: summary },
      });
      const [update] = await this.store.runWrites([...writes, ...reported]);
      if (Number(update?.numAffectedRows ?? 0) > 0) return next;
    }
    throw new DomainError('CONFLICT');
  }

  /** Published comments with active reports, most reported first, then oldest first. */
  async listReported(q: ReportedQuery): Promise<Page<CommentRecord>> {
    let query = filterComments(
      this.db.selectFrom('comments').selectAll().where('status', '=', 'approved').where(sql<boolean>`report_count > 0`),
      q,
      this.store.dialect,
    );
    if (q.cursor) {
      const c = decodeReportedCursor(q.cursor);
      query = query.where((eb) =>
        eb.or([eb('report_count', '<', c.count), eb.and([eb('report_count', '=', c.count), eb('id', '>', c.id)])]),
      );
    }
    const rows = await query
      .orderBy('report_count', 'desc')
      .orderBy('id', 'asc')
      .limit(q.limit + 1)
      .execute();
    const more = rows.length > q.limit;
    const items = (more ? rows.slice(0, q.limit) : rows).map(toRecord);
    const last = items[items.length - 1];
    return { items, nextCursor: more && last ? encodeReportedCursor(last.reportCount, last.id) : null };
  }

  async countReported(): Promise<number> {
    const row = await this.db
      .selectFrom('comments')
      .select((eb) => eb.fn.countAll<string | number>().as('n'))
      .where('status', '=', 'approved')
      .where(sql<boolean>`report_count > 0`)
      .executeTakeFirst();
    return Number(row?.n ?? 0);
  }

  /**
   * A moderator dismisses a comment's reports: they stop counting and leave the Reported view, and a
   * comment hidden by them is published again. Anything else (rejected, spam, held for other reasons)
   * is a CONFLICT: deciding it is the way.
   */
  async dismissReports(
    id: string,
    keyId: string,
    note: string | null,
  ): Promise<{ comment: CommentRecord; changed: boolean } | null> {
    for (let attempt = 0; attempt < 5; attempt++) {
      const current = await this.store.getComment(id);
      if (!current) return null;
      const hiddenByReports = current.status === 'pending' && current.reasons.some((r) => r.code === READER_REPORTS);
      if (current.status !== 'approved' && !hiddenByReports) {
        throw new DomainError('CONFLICT', {}, { reason: 'comment is neither published nor hidden by reports' });
      }
      if (current.status === 'approved' && current.reportCount === 0) return { comment: current, changed: false };
      const at = this.nowIso();
      const decision = { by: 'moderator', keyId, ...(note ? { note } : {}) };
      const { writes, next } = this.changeWrites(current, {
        to: 'approved',
        actorId: keyId,
        decision,
        action: 'dismiss-reports',
        note,
        clearReports: true,
        decides: hiddenByReports,
        at,
      });
      const [update] = await this.store.runWrites(writes);
      if (Number(update?.numAffectedRows ?? 0) > 0) return { comment: next, changed: true };
    }
    throw new DomainError('CONFLICT');
  }

  // ---------------------------------------------------------------- bans

  /**
   * The active ban matching an email (already lower-cased) or a client-IP hash, the longest first
   * (one without end before any with an end). Expiry is a comparison with `now`: nothing to clean up.
   */
  async activeBan(q: { email: string | null; ipHash: string | null; now: string }): Promise<Ban | null> {
    if (!q.email && !q.ipHash) return null;
    const row = await this.db
      .selectFrom('bans')
      .selectAll()
      .where('lifted_at', 'is', null)
      .where((eb) => eb.or([eb('until', 'is', null), eb('until', '>', q.now)]))
      .where((eb) =>
        eb.or([...(q.email ? [eb('email', '=', q.email)] : []), ...(q.ipHash ? [eb('ip_hash', '=', q.ipHash)] : [])]),
      )
      .orderBy(sql`case when until is null then 1 else 0 end`, 'desc')
      .orderBy('until', 'desc')
      .limit(1)
      .executeTakeFirst();
    return row ? toBan(row, q.now) : null;
  }

  /** Every ban neither lifted nor expired at `now` (they are few), for the in-memory ban gate. */
  async allActiveBans(now: string): Promise<{ email: string | null; ipHash: string | null; until: string | null }[]> {
    const rows = await this.db
      .selectFrom('bans')
      .select(['email', 'ip_hash', 'until'])
      .where('lifted_at', 'is', null)
      .where((eb) => eb.or([eb('until', 'is', null), eb('until', '>', now)]))
      .execute();
    return rows.map((r) => ({ email: r.email, ipHash: r.ip_hash, until: r.until }));
  }

  /** Pending comments by this email or client-IP hash, oldest first (at most `limit`). */
  async pendingByAuthor(email: string | null, ipHash: string | null, limit = 500): Promise<CommentRecord[]> {
    if (!email && !ipHash) return [];
    const rows = await this.db
      .selectFrom('comments')
      .selectAll()
      .where('status', '=', 'pending')
      .where((eb) =>
        eb.or([...(email ? [eb('author_email', '=', email)] : []), ...(ipHash ? [eb('ip_hash', '=', ipHash)] : [])]),
      )
      .orderBy('id', 'asc')
      .limit(limit)
      .execute();
    return rows.map(toRecord);
  }

  /**
   * Creates a ban with, in the same unit, the `ban` entry in the history of the comment it was made
   * from, the `author.banned` event, and the rejection of `reject` (that author's pending comments,
   * each guarded by the revision it was read at, each with its history and event).
   */
  async createBan(
    b: NewBan,
    source: CommentRecord | null,
    reject: readonly CommentRecord[],
  ): Promise<{ ban: Ban; rejected: CommentRecord[] }> {
    const at = this.nowIso();
    const id = ulid(Date.parse(at));
    const row: Selectable<BansTable> = {
      id,
      email: b.email,
      ip_hash: b.ipHash,
      comment_id: b.commentId,
      reason: b.reason,
      until: b.until,
      created_at: at,
      created_by: b.keyId,
      lifted_at: null,
      lifted_by: null,
    };
    const ban = toBan(row, at);
    const decision = { by: 'moderator', keyId: b.keyId, note: b.reason };
    const writes: Write[] = [this.db.insertInto('bans').values(row)];
    if (source) {
      writes.push(
        this.store.historyWrite({
          commentId: source.id,
          actor: b.keyId,
          action: 'ban',
          from: source.status,
          to: source.status,
          note: banNote(b.reason, b.until),
          at,
        }),
      );
    }
    writes.push(
      ...this.store.eventWrites('author.banned', source, decision, at, undefined, {
        ban,
        comment: source ? toModerated(source) : null,
        decision,
      }),
    );
    // Each rejection's update is the first of its writes; a comment changed meanwhile is left alone.
    const rejections: { next: CommentRecord; updateAt: number }[] = [];
    for (const current of reject) {
      const change = this.changeWrites(current, {
        to: 'rejected',
        actorId: b.keyId,
        decision,
        action: 'reject',
        note: banNote(b.reason, b.until),
        decides: true,
        at,
      });
      rejections.push({ next: change.next, updateAt: writes.length });
      writes.push(...change.writes);
    }
    const results = await this.store.runWrites(writes);
    const applied = rejections.filter((r) => Number(results[r.updateAt]?.numAffectedRows ?? 0) > 0).map((r) => r.next);
    return { ban, rejected: applied };
  }

  async getBan(id: string): Promise<Ban | null> {
    const row = await this.db.selectFrom('bans').selectAll().where('id', '=', id).executeTakeFirst();
    return row ? toBan(row, this.nowIso()) : null;
  }

  /** Active bans, or every ban with `all`; newest first. */
  async listBans(all: boolean, limit = 500): Promise<Ban[]> {
    const now = this.nowIso();
    let query = this.db.selectFrom('bans').selectAll();
    if (!all) {
      query = query
        .where('lifted_at', 'is', null)
        .where((eb) => eb.or([eb('until', 'is', null), eb('until', '>', now)]));
    }
    const rows = await query.orderBy('id', 'desc').limit(limit).execute();
    return rows.map((r) => toBan(r, now));
  }

  /**
   * Lifts a ban (recorded on the row: who, when) and notes it in the history of the comment it was
   * made from. Lifting a lifted ban changes nothing.
   */
  async liftBan(id: string, keyId: string): Promise<{ ban: Ban; changed: boolean } | null> {
    const before = await this.getBan(id);
    if (!before) return null;
    if (before.liftedAt) return { ban: before, changed: false };
    const at = this.nowIso();
    const lifted = sql<boolean>`exists (select 1 from bans where id = ${id} and lifted_at = ${at} and lifted_by = ${keyId})`;
    const writes: Write[] = [
      this.db
        .updateTable('bans')
        .set({ lifted_at: at, lifted_by: keyId })
        .where('id', '=', id)
        .where('lifted_at', 'is', null),
    ];
    if (before.commentId) {
      const comment = await this.store.getComment(before.commentId);
      if (comment) {
        writes.push(
          this.store.historyWrite(
            {
              commentId: comment.id,
              actor: keyId,
              action: 'unban',
              from: comment.status,
              to: comment.status,
              note: before.reason,
              at,
            },
            lifted,
          ),
        );
      }
    }
    const [update] = await this.store.runWrites(writes);
    const ban = await this.getBan(id);
    if (!ban) return null;
    return { ban, changed: Number(update?.numAffectedRows ?? 0) > 0 };
  }
}

/** The note a ban leaves in a comment's history: its reason, and its end if it has one. */
function banNote(reason: string, until: string | null): string {
  return until ? `${reason} (until ${until})` : reason;
}
