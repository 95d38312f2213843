import { type CompiledQuery, type DatabaseConnection, type Driver, Kysely, type QueryResult } from 'kysely';
import { D1Dialect } from 'kysely-d1';
import type { Database } from './schema.ts';
import type { DbHandle } from './store.ts';

/** The part of Cloudflare's D1Database binding this adapter uses (kept structural: no platform types here). */
export interface D1Like {
  prepare(sql: string): D1StatementLike;
  batch(statements: D1StatementLike[]): Promise<{ results?: unknown[]; meta: { changes?: number } }[]>;
  exec(sql: string): Promise<unknown>;
}
export interface D1StatementLike {
  bind(...values: unknown[]): D1StatementLike;
  first<T = unknown>(): Promise<T | null>;
  all<T = unknown>(): Promise<{ results?: T[]; meta: { changes?: number } }>;
  run(): Promise<{ meta: { changes?: number } }>;
}

/**
 * kysely-d1 0.4 still reports `numUpdatedOrDeletedRows`, which Kysely 0.28 warns about on every query;
 * its connections are wrapped to report only `numAffectedRows`.
 */
class CurrentD1Dialect extends D1Dialect {
  override createDriver(): Driver {
    const driver = super.createDriver();
    return new Proxy(driver, {
      get(target, prop, receiver) {
        if (prop !== 'acquireConnection') return Reflect.get(target, prop, receiver);
        return async () => {
          const conn = await target.acquireConnection();
          return {
            async executeQuery<R>(query: CompiledQuery): Promise<QueryResult<R>> {
              const { rows, numAffectedRows, insertId } = await conn.executeQuery<R>(query);
              return {
                rows,
                ...(numAffectedRows !== undefined ? { numAffectedRows } : {}),
                ...(insertId !== undefined ? { insertId } : {}),
              };
            },
            streamQuery: conn.streamQuery.bind(conn),
          } satisfies DatabaseConnection;
        };
      },
    });
  }
}

/**
 * Kysely over D1. D1 has no interactive transactions; the store's atomic units go through
 * `batch()`, which D1 runs as one transaction.
 */
export function openD1(d1: D1Like): DbHandle {
  const db = new Kysely<Database>({
    dialect: new CurrentD1Dialect({
      database: d1 as unknown as ConstructorParameters<typeof D1Dialect>[0]['database'],
    }),
  });
  return {
    db,
    dialect: 'd1',
    async batch(queries: CompiledQuery[]): Promise<QueryResult<unknown>[]> {
      const results = await d1.batch(queries.map((q) => d1.prepare(q.sql).bind(...q.parameters)));
      return results.map((r) => ({
        rows: (r.results ?? []) as unknown[],
        numAffectedRows: BigInt(r.meta.changes ?? 0),
      }));
    },
    async close() {},
  };
}
