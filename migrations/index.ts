import type { Migration, MigrationProvider } from 'kysely';
import * as m0001 from './0001_init.ts';
import * as m0002 from './0002_rate_limit_counters.ts';
import * as m0003 from './0003_reports_and_bans.ts';

/**
 * Migrations are imported statically (not read from a folder) so the same list works in a Worker bundle.
 * Add a migration: a new numbered file and one line here.
 */
export const migrations: Record<string, Migration> = {
  '0001_init': m0001,
  '0002_rate_limit_counters': m0002,
  '0003_reports_and_bans': m0003,
};

export const migrationProvider: MigrationProvider = {
  getMigrations: async () => migrations,
};
