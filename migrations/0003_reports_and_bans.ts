import { type Kysely, sql } from 'kysely';

/**
 * Reader reports and author bans. Dismissed reports are kept (who dismissed them, when) rather than
 * deleted, so the one-report-per-client rule still holds after a moderator has looked; a ban remembers
 * the comment it was made from, so its lift lands in that comment's history too. One column per
 * statement: SQLite (and D1) add a single column per ALTER TABLE.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable('reports').addColumn('dismissed_at', 'text').execute();
  await db.schema.alterTable('reports').addColumn('dismissed_by', 'text').execute();
  await db.schema.alterTable('bans').addColumn('comment_id', 'text').execute();
  // Partial: only reported comments are in it, so posting a comment (report_count 0) never touches it.
  await db.schema
    .createIndex('comments_status_reports')
    .on('comments')
    .columns(['status', 'report_count'])
    .where(sql.ref('report_count'), '>', sql.lit(0))
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropIndex('comments_status_reports').ifExists().execute();
  await db.schema.alterTable('bans').dropColumn('comment_id').execute();
  await db.schema.alterTable('reports').dropColumn('dismissed_by').execute();
  await db.schema.alterTable('reports').dropColumn('dismissed_at').execute();
}
