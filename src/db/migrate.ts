import { type Kysely, Migrator } from 'kysely';
import { migrationProvider } from '../../migrations/index.ts';
import type { Database } from './schema.ts';

/**
 * Applies every pending migration. On PostgreSQL Kysely's migrator takes an advisory lock, so several
 * instances starting at once apply each migration exactly once; on SQLite the file lock does the same.
 */
export async function migrateToLatest(db: Kysely<Database>): Promise<string[]> {
  const migrator = new Migrator({ db, provider: migrationProvider });
  const { error, results } = await migrator.migrateToLatest();
  if (error) {
    const failed = results?.find((r) => r.status === 'Error');
    throw new Error(`Migration ${failed?.migrationName ?? ''} failed: ${(error as Error).message ?? String(error)}`, {
      cause: error,
    });
  }
  return (results ?? []).filter((r) => r.status === 'Success').map((r) => r.migrationName);
}
