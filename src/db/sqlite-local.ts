import type SQLite from 'better-sqlite3';
import { CompiledQuery, type DatabaseConnection, type Driver, type QueryResult, SqliteDialect } from 'kysely';

type Statement = SQLite.Statement<unknown[], unknown>;

/** A unit of writes for group commit: runs synchronously inside the shared transaction. */
export type WriteUnit<T> = (db: LocalSqlite) => T;

interface Pending {
  run: WriteUnit<unknown>;
  afterCommit: ((result: unknown) => void) | undefined;
  resolve(value: unknown): void;
  reject(error: unknown): void;
}

/** Units batched into one transaction at most; more wait for the next flush. */
const MAX_BATCH = 512;
/** Prepared statements kept; Kysely's queries are a few dozen distinct SQL texts, the rest churn. */
const MAX_STATEMENTS = 500;
const WRITES_COMMENTS = /^\s*(?:insert\s+into|update|delete\s+from)\s+"?comments"?[\s(]/i;

/**
 * The one SQLite connection of a Node process, shared by Kysely and the hot paths:
 * - prepared statements are cached by SQL text (Kysely's driver prepares on every query, which costs
 *   more than running most of them);
 * - one FIFO lock serialises Kysely's transactions, hot-path reads and group commits, so no statement
 *   ever runs inside someone else's open transaction;
 * - group commit: concurrent write units share one transaction (a failing unit sends its batch back
 *   to one transaction per unit), and each caller is answered only after the COMMIT that made it durable.
 */
export class LocalSqlite {
  private readonly statements = new Map<string, Statement>();
  private locked = false;
  private readonly waiters: (() => void)[] = [];
  private queue: Pending[] = [];
  private scheduled = false;
  /** Told of every statement outside group-commit units that changed rows of the comments table. */
  readonly onCommentsWrite = new Set<() => void>();
  /** Transactions committed by group commit, and units in them (for tests and the benchmark). */
  readonly stats = { commits: 0, units: 0 };

  constructor(readonly sqlite: SQLite.Database) {}

  /** A prepared statement for `sql`, prepared once. */
  prepare(sql: string): Statement {
    let stmt = this.statements.get(sql);
    if (!stmt) {
      if (this.statements.size >= MAX_STATEMENTS) this.statements.clear();
      stmt = this.sqlite.prepare(sql) as Statement;
      this.statements.set(sql, stmt);
    }
    return stmt;
  }

  lock(): Promise<void> {
    if (!this.locked) {
      this.locked = true;
      return Promise.resolve();
    }
    return new Promise((resolve) => this.waiters.push(resolve));
  }

  unlock(): void {
    const next = this.waiters.shift();
    if (next) next();
    else this.locked = false;
  }

  /** Runs `fn` with the connection to itself (no transaction of another caller is open meanwhile). */
  async exclusive<T>(fn: (db: LocalSqlite) => T): Promise<T> {
    await this.lock();
    try {
      return fn(this);
    } finally {
      this.unlock();
    }
  }

  /**
   * Queues a write unit for the next group commit and resolves with its result once that commit is
   * done. `afterCommit` runs synchronously right after the COMMIT, before any other request is served.
   */
  write<T>(run: WriteUnit<T>, afterCommit?: (result: T) => void): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      this.queue.push({
        run,
        afterCommit: afterCommit as ((result: unknown) => void) | undefined,
        resolve: resolve as (value: unknown) => void,
        reject,
      });
      if (!this.scheduled) {
        this.scheduled = true;
        // The next turn of the event loop: requests whose I/O completed in this one join the batch.
        setImmediate(() => void this.flush());
      }
    });
  }

  private async flush(): Promise<void> {
    await this.lock();
    this.scheduled = false;
    const batch = this.queue.length > MAX_BATCH ? this.queue.splice(0, MAX_BATCH) : this.queue;
    if (batch === this.queue) this.queue = [];
    if (this.queue.length > 0 && !this.scheduled) {
      this.scheduled = true;
      setImmediate(() => void this.flush());
    }
    let settled: { unit: Pending; ok: boolean; value: unknown }[];
    try {
      settled = this.commitBatch(batch);
    } finally {
      this.unlock();
    }
    for (const s of settled) {
      if (s.ok) s.unit.resolve(s.value);
      else s.unit.reject(s.value);
    }
  }

  /**
   * One transaction for the batch. Units almost never fail (they are plain inserts), so they run
   * without a savepoint each; if one throws, the whole transaction is rolled back and every unit is
   * run again in a transaction of its own, so the failure is its unit's alone and nothing of the
   * batch was answered before its own COMMIT.
   */
  private commitBatch(batch: Pending[]): { unit: Pending; ok: boolean; value: unknown }[] {
    const out: { unit: Pending; ok: boolean; value: unknown }[] = [];
    try {
      this.prepare('begin immediate').run();
      for (const unit of batch) out.push({ unit, ok: true, value: unit.run(this) });
      this.prepare('commit').run();
    } catch (error) {
      if (this.sqlite.inTransaction) this.prepare('rollback').run();
      if (batch.length === 1 && batch[0]) return [{ unit: batch[0], ok: false, value: error }];
      return batch.flatMap((unit) => this.commitBatch([unit]));
    }
    this.stats.commits++;
    this.stats.units += batch.length;
    for (const s of out) {
      if (!s.ok) continue;
      try {
        s.unit.afterCommit?.(s.value);
      } catch {
        // a cache hook must not turn a committed write into a failure
      }
    }
    return out;
  }

  /** Resolves once every queued unit is committed (before closing the connection). */
  async idle(): Promise<void> {
    while (this.queue.length > 0 || this.scheduled) await new Promise((r) => setImmediate(r));
    await this.exclusive(() => undefined);
  }

  /** Kysely's path: cached statements, and the catch-all notice of writes to comments. */
  execute<R>(query: CompiledQuery): QueryResult<R> {
    const stmt = this.prepare(query.sql);
    if (stmt.reader) return { rows: stmt.all(...(query.parameters as unknown[])) as R[] };
    const { changes, lastInsertRowid } = stmt.run(...(query.parameters as unknown[]));
    if (changes > 0 && this.onCommentsWrite.size > 0 && WRITES_COMMENTS.test(query.sql)) {
      for (const listener of this.onCommentsWrite) listener();
    }
    return { numAffectedRows: BigInt(changes), insertId: BigInt(lastInsertRowid), rows: [] };
  }
}

class LocalConnection implements DatabaseConnection {
  constructor(private readonly local: LocalSqlite) {}

  async executeQuery<R>(query: CompiledQuery): Promise<QueryResult<R>> {
    return this.local.execute<R>(query);
  }

  // biome-ignore lint/correctness/useYield: streaming is not used by the service; Kysely requires the method.
  async *streamQuery<R>(): AsyncIterableIterator<QueryResult<R>> {
    throw new Error('streaming is not supported on the local SQLite connection');
  }
}

class LocalDriver implements Driver {
  private readonly connection: LocalConnection;

  constructor(private readonly local: LocalSqlite) {
    this.connection = new LocalConnection(local);
  }

  async init(): Promise<void> {}

  async acquireConnection(): Promise<DatabaseConnection> {
    await this.local.lock();
    return this.connection;
  }

  async beginTransaction(conn: DatabaseConnection): Promise<void> {
    await conn.executeQuery(CompiledQuery.raw('begin'));
  }

  async commitTransaction(conn: DatabaseConnection): Promise<void> {
    await conn.executeQuery(CompiledQuery.raw('commit'));
  }

  async rollbackTransaction(conn: DatabaseConnection): Promise<void> {
    await conn.executeQuery(CompiledQuery.raw('rollback'));
  }

  async releaseConnection(): Promise<void> {
    this.local.unlock();
  }

  async destroy(): Promise<void> {
    this.local.sqlite.close();
  }
}

/** Kysely's SQLite dialect over a {@link LocalSqlite}: same SQL, cached statements, shared lock. */
export class LocalSqliteDialect extends SqliteDialect {
  constructor(private readonly local: LocalSqlite) {
    super({ database: local.sqlite });
  }

  override createDriver(): Driver {
    return new LocalDriver(this.local);
  }
}
