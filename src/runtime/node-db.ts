import { mkdirSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import SQLite from 'better-sqlite3';
import { Kysely, PostgresDialect, SqliteDialect } from 'kysely';
import pg from 'pg';
import type { Database } from '../db/schema.ts';
import type { DbHandle } from '../db/store.ts';

/** `file:./data/x.sqlite`, a plain path, `:memory:`, or `postgres://…`. */
export function openDatabase(
  url: string,
  options: { poolSize?: number } = {},
): DbHandle & { sqlite?: SQLite.Database } {
  if (/^postgres(ql)?:\/\//.test(url)) return openPostgres(url, options.poolSize ?? 10);
  return openSqlite(sqlitePath(url));
}

export function sqlitePath(url: string): string {
  const path = url.startsWith('file:') ? url.slice('file:'.length) : url;
  return path === ':memory:' ? path : resolve(path);
}

function openSqlite(path: string): DbHandle & { sqlite: SQLite.Database } {
  if (path !== ':memory:') mkdirSync(dirname(path), { recursive: true });
  const sqlite = new SQLite(path);
  // WAL lets readers proceed during writes; NORMAL syncs at checkpoints, which WAL keeps durable
  // against process crashes (only an OS crash can lose the last transactions).
  sqlite.pragma('journal_mode = WAL');
  sqlite.pragma('synchronous = NORMAL');
  sqlite.pragma('busy_timeout = 5000');
  sqlite.pragma('foreign_keys = ON');
  const db = new Kysely<Database>({ dialect: new SqliteDialect({ database: sqlite }) });
  return {
    db,
    dialect: 'sqlite',
    sqlite,
    async close() {
      await db.destroy();
    },
  };
}

function openPostgres(url: string, poolSize: number): DbHandle {
  // COUNT(*) and BIGINT come back as strings by default; int8 is parsed here and counts are
  // converted with Number() in the store, so both paths agree.
  pg.types.setTypeParser(20, (v) => Number.parseInt(v, 10));
  const pool = new pg.Pool({ connectionString: url, max: poolSize });
  const db = new Kysely<Database>({ dialect: new PostgresDialect({ pool }) });
  return {
    db,
    dialect: 'postgres',
    async close() {
      await db.destroy();
    },
  };
}
