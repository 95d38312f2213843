import { mkdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, resolve } from 'node:path';
import { Worker } from 'node:worker_threads';
import SQLite from 'better-sqlite3';
import { Kysely, PostgresDialect } from 'kysely';
import type pgModule from 'pg';
import type { Database } from '../db/schema.ts';
import { LocalSqlite, LocalSqliteDialect } from '../db/sqlite-local.ts';
import type { DbHandle } from '../db/store.ts';

/** `file:./data/x.sqlite`, a plain path, `:memory:`, or `postgres://…`. */
export function openDatabase(
  url: string,
  options: { poolSize?: number; walRestartFrames?: number; checkpointIntervalMs?: number } = {},
): DbHandle & { sqlite?: SQLite.Database } {
  if (/^postgres(ql)?:\/\//.test(url)) return openPostgres(url, options.poolSize ?? 10);
  return openSqlite(sqlitePath(url), {
    restartFrames: options.walRestartFrames ?? RESTART_WAL_FRAMES,
    intervalMs: options.checkpointIntervalMs ?? CHECKPOINT_INTERVAL_MS,
  });
}

export function sqlitePath(url: string): string {
  const path = url.startsWith('file:') ? url.slice('file:'.length) : url;
  return path === ':memory:' ? path : resolve(path);
}

function openSqlite(path: string, checkpoints: CheckpointOptions): DbHandle & { sqlite: SQLite.Database } {
  if (path !== ':memory:') mkdirSync(dirname(path), { recursive: true });
  const sqlite = new SQLite(path);
  // WAL lets readers proceed during writes; NORMAL syncs at checkpoints, which WAL keeps durable
  // against process crashes (only an OS crash can lose the last transactions).
  sqlite.pragma('journal_mode = WAL');
  sqlite.pragma('synchronous = NORMAL');
  sqlite.pragma('busy_timeout = 5000');
  sqlite.pragma('foreign_keys = ON');
  // Erased and expired comments are overwritten on disk, not just unlinked (data-protection erasure).
  sqlite.pragma('secure_delete = ON');
  // One connection for Kysely and the hot paths: cached statements, one lock, group commit.
  const local = new LocalSqlite(sqlite);
  const db = new Kysely<Database>({ dialect: new LocalSqliteDialect(local) });
  const checkpointer = path === ':memory:' ? null : startCheckpointer(sqlite, path, local, checkpoints);
  return {
    db,
    dialect: 'sqlite',
    sqlite,
    local,
    async close() {
      await local.idle();
      await checkpointer?.stop();
      await db.destroy();
    },
  };
}

/** How often the background connection copies the WAL into the database file. */
const CHECKPOINT_INTERVAL_MS = 100;
/** WAL length (frames, 4 KiB each) at which the writer finishes a checkpoint itself so the WAL restarts. */
const RESTART_WAL_FRAMES = 4000;

interface CheckpointOptions {
  restartFrames: number;
  intervalMs: number;
}

/**
 * WAL checkpoints (copying committed pages into the database file, with its fsyncs) on a worker
 * thread's own connection. Run by the writing connection, as SQLite does by default every 1,000
 * pages, they stall the event loop for tens of milliseconds and halve insert throughput. PASSIVE
 * checkpoints never wait for or block the writer.
 *
 * Under steady writes a background checkpoint never quite catches up (the writer appends while it
 * copies), and the WAL can only start over from its beginning once every frame is copied. So when
 * the worker reports a long WAL, the writer runs one PASSIVE checkpoint itself between two group
 * commits: only the frames appended since the worker's pass are left to copy, nothing is appended
 * meanwhile, and the next write restarts the WAL. The writer's own auto-checkpoint stays as a
 * backstop at 10× the default, should the worker ever stop.
 */
function startCheckpointer(
  sqlite: SQLite.Database,
  path: string,
  local: LocalSqlite,
  { restartFrames, intervalMs }: CheckpointOptions,
): { stop(): Promise<void> } {
  sqlite.pragma('wal_autocheckpoint = 10000');
  const driver = createRequire(import.meta.url).resolve('better-sqlite3');
  const worker = new Worker(
    `const { workerData, parentPort } = require('node:worker_threads');
     const Database = require(workerData.driver);
     const db = new Database(workerData.path);
     db.pragma('busy_timeout = 0');
     const pass = () => {
       try { const [r] = db.pragma('wal_checkpoint(PASSIVE)'); if (r) parentPort.postMessage(r); } catch {}
     };
     const timer = setInterval(pass, workerData.intervalMs);
     parentPort.on('message', () => { clearInterval(timer); pass(); db.close(); parentPort.close(); });`,
    { eval: true, workerData: { driver, path, intervalMs } },
  );
  worker.unref();
  let finishing = false;
  worker.on('message', (r: { busy: number; log: number; checkpointed: number }) => {
    if (finishing || r.log < restartFrames || !sqlite.open) return;
    finishing = true;
    void local
      .exclusive(() => {
        if (sqlite.open) sqlite.pragma('wal_checkpoint(PASSIVE)');
      })
      .catch(() => {
        // The worker's next pass and the auto-checkpoint backstop remain.
      })
      .finally(() => {
        finishing = false;
      });
  });
  worker.on('error', () => {
    // The writer's auto-checkpoint takes over.
    sqlite.pragma('wal_autocheckpoint = 1000');
  });
  return {
    async stop() {
      const exited = new Promise<void>((r) => worker.once('exit', () => r()));
      worker.postMessage('stop');
      const timer = setTimeout(() => void worker.terminate(), 2000);
      await exited;
      clearTimeout(timer);
    },
  };
}

function openPostgres(url: string, poolSize: number): DbHandle {
  // COUNT(*) and BIGINT come back as strings by default; int8 is parsed here and counts are
  // converted with Number() in the store, so both paths agree.
  // Loaded only for PostgreSQL: the default SQLite service does not carry the driver (~10 MB).
  const pg = createRequire(import.meta.url)('pg') as typeof pgModule;
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
