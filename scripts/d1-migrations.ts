/**
 * Writes the Kysely migrations as SQL files under migrations/d1/ for `wrangler d1 migrations apply`,
 * so a Worker deployment applies the same schema once per deploy instead of in every isolate.
 * `--check` exits 1 when the files are out of date (a test runs it).
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import SQLite from 'better-sqlite3';
import { Kysely, SqliteDialect } from 'kysely';
import { migrations } from '../migrations/index.ts';

const OUT = resolve(import.meta.dirname, '..', 'migrations', 'd1');

/** The SQL each migration runs on SQLite, statement by statement, in order. */
export async function migrationSql(): Promise<{ file: string; sql: string }[]> {
  const out: { file: string; sql: string }[] = [];
  const sqlite = new SQLite(':memory:');
  let statements: string[] = [];
  const db = new Kysely<unknown>({
    dialect: new SqliteDialect({ database: sqlite }),
    log(event) {
      if (event.level !== 'query') return;
      if (event.query.parameters.length > 0) throw new Error(`parameters in DDL: ${event.query.sql}`);
      statements.push(`${event.query.sql};`);
    },
  });
  for (const [name, migration] of Object.entries(migrations).sort(([a], [b]) => a.localeCompare(b))) {
    statements = [];
    await migration.up(db);
    out.push({
      file: `${name}.sql`,
      sql: `-- Generated from migrations/${name}.ts by scripts/d1-migrations.ts; do not edit.\n${statements.join('\n')}\n`,
    });
  }
  await db.destroy();
  return out;
}

async function main(): Promise<number> {
  const check = process.argv.includes('--check');
  const files = await migrationSql();
  let stale = 0;
  if (!check) mkdirSync(OUT, { recursive: true });
  for (const { file, sql } of files) {
    const path = join(OUT, file);
    const current = existsSync(path) ? readFileSync(path, 'utf8') : null;
    if (current === sql) continue;
    stale++;
    if (check) console.error(`out of date: migrations/d1/${file}`);
    else writeFileSync(path, sql);
  }
  if (check && stale > 0) {
    console.error('run: npx tsx scripts/d1-migrations.ts');
    return 1;
  }
  if (!check) console.log(`${files.length} migration(s), ${stale} written to migrations/d1/`);
  return 0;
}

if (process.argv[1] && resolve(process.argv[1]) === resolve(import.meta.filename)) {
  main().then((code) => process.exit(code));
}
