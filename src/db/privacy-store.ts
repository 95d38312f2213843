import { type Kysely, sql } from 'kysely';
import type { CommentRecord } from '../core/types.ts';
import { toRecord } from './mappers.ts';
import type { Database } from './schema.ts';
import type { HistoryEntry, Store, Write } from './store.ts';

export interface RetentionResult {
  /** Comments whose client-IP hash was cleared. */
  ipHashesCleared: number;
  /** Rejected and spam comments deleted with their history and events. */
  commentsDeleted: number;
  /** Reader reports deleted (they hold a client-IP hash). */
  reportsDeleted: number;
}

/**
 * Data-protection queries: the retention sweep and an author's export and erasure. Deleting a comment
 * also deletes its history, reports and webhook events (whose payloads carry the author's email), and
 * cancels nothing in flight: a delivery whose event is gone is skipped by the dispatcher.
 */
export class PrivacyStore {
  private readonly db: Kysely<Database>;

  constructor(private readonly store: Store) {
    this.db = store.db;
  }

  private deleteCommentsWrites(ids: readonly string[]): Write[] {
    if (ids.length === 0) return [];
    const events = this.db.selectFrom('webhook_events').select('id').where('comment_id', 'in', ids);
    return [
      this.db.deleteFrom('webhook_deliveries').where('event_id', 'in', events).where('status', '=', 'pending'),
      this.db.deleteFrom('webhook_events').where('comment_id', 'in', ids),
      this.db.deleteFrom('comment_history').where('comment_id', 'in', ids),
      this.db.deleteFrom('reports').where('comment_id', 'in', ids),
      this.db.deleteFrom('comments').where('id', 'in', ids),
    ];
  }

  /** Clears IP hashes and deletes rejected/spam comments and reports older than `days`. */
  async applyRetention(days: number, now: Date, batch = 500): Promise<RetentionResult> {
    const cutoff = new Date(now.getTime() - days * 86_400_000).toISOString();
    const result: RetentionResult = { ipHashesCleared: 0, commentsDeleted: 0, reportsDeleted: 0 };
    const cleared = await this.db
      .updateTable('comments')
      .set({ ip_hash: null })
      .where('created_at', '<', cutoff)
      .where('ip_hash', 'is not', null)
      .executeTakeFirst();
    result.ipHashesCleared = Number(cleared.numUpdatedRows ?? 0);
    const reports = await this.db.deleteFrom('reports').where('created_at', '<', cutoff).executeTakeFirst();
    result.reportsDeleted = Number(reports.numDeletedRows ?? 0);
    // In batches, so one sweep never holds the database for long.
    for (;;) {
      const rows = await this.db
        .selectFrom('comments')
        .select('id')
        .where('status', 'in', ['rejected', 'spam'])
        .where('created_at', '<', cutoff)
        .limit(batch)
        .execute();
      if (rows.length === 0) break;
      await this.store.runWrites(this.deleteCommentsWrites(rows.map((r) => r.id)));
      result.commentsDeleted += rows.length;
      if (rows.length < batch) break;
    }
    return result;
  }

  /** Every comment written with this email (case-insensitive), oldest first, with its history. */
  async exportAuthor(email: string): Promise<{ comment: CommentRecord; history: HistoryEntry[] }[]> {
    const rows = await this.db
      .selectFrom('comments')
      .selectAll()
      .where(sql<boolean>`lower(author_email) = ${email.toLowerCase()}`)
      .orderBy('id', 'asc')
      .execute();
    return Promise.all(
      rows.map(async (row) => ({ comment: toRecord(row), history: await this.store.history(row.id) })),
    );
  }

  /** Deletes every comment written with this email; returns how many. */
  async eraseAuthor(email: string, batch = 200): Promise<number> {
    let erased = 0;
    for (;;) {
      const rows = await this.db
        .selectFrom('comments')
        .select('id')
        .where(sql<boolean>`lower(author_email) = ${email.toLowerCase()}`)
        .limit(batch)
        .execute();
      if (rows.length === 0) return erased;
      await this.store.runWrites(this.deleteCommentsWrites(rows.map((r) => r.id)));
      erased += rows.length;
    }
  }
}
