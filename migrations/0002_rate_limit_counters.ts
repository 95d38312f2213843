import type { Kysely } from 'kysely';

/**
 * Rate-limit counters for stores without one of their own (D1). Node uses memory, its SQLite file
 * or Redis through rate-limiter-flexible's stores, which manage their own tables.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('rate_limit_counters')
    .addColumn('key', 'text', (c) => c.primaryKey())
    .addColumn('points', 'integer', (c) => c.notNull())
    .addColumn('expire', 'bigint')
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('rate_limit_counters').ifExists().execute();
}
