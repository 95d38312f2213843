import SQLite from 'better-sqlite3';
import { migrateToLatest } from '../../src/db/migrate.ts';
import { ulid } from '../../src/lib/ids.ts';
import { openDatabase } from '../../src/runtime/node-db.ts';
import { authorName, rng } from './corpus.ts';

export interface ScaleData {
  rows: number;
  threads: number;
  pending: number;
  approvedInTopThread: number;
  seconds: number;
}

/** Thread of a row: a Zipf-like skew (weight 1/(k+10)), so a few articles hold many comments. */
function threadPicker(threads: number, next: () => number): () => number {
  const cumulative = new Float64Array(threads);
  let sum = 0;
  for (let k = 0; k < threads; k++) {
    sum += 1 / (k + 10);
    cumulative[k] = sum;
  }
  return () => {
    const x = next() * sum;
    let lo = 0;
    let hi = threads - 1;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if ((cumulative[mid] ?? 0) < x) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  };
}

/**
 * Fills a fresh database (real schema, through the migrations) with `rows` comments over 180 days:
 * ~91 % approved, 5 % rejected, 3 % spam and ~1 % pending (all in the most recent fifth, as a queue
 * that moderators keep up with would be). Direct better-sqlite3 inserts in large transactions.
 */
export async function fillDatabase(
  path: string,
  rows: number,
  bodies: readonly string[],
  threads = 20_000,
): Promise<ScaleData> {
  const started = performance.now();
  const handle = openDatabase(`file:${path}`);
  await migrateToLatest(handle.db);
  await handle.close();

  const db = new SQLite(path);
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = OFF');
  db.pragma('cache_size = -262144');
  const insert = db.prepare(
    `insert into comments (id, thread_id, parent_id, author_name, author_email, author_key, body, original_body,
      status, reasons, score, ip_hash, text_hash, report_count, revision, created_at, updated_at, decided_at, decided_by)
     values (?, ?, null, ?, ?, ?, ?, null, ?, ?, ?, ?, ?, 0, ?, ?, ?, ?, ?)`,
  );
  const next = rng(42);
  const pickThread = threadPicker(threads, next);
  const end = Date.now() - 60_000;
  const start = end - 180 * 86_400_000;
  const step = (end - start) / rows;
  const hex = () => Math.floor(next() * 2 ** 52).toString(16);
  let pending = 0;
  let approvedInTop = 0;
  const batch = 50_000;
  for (let from = 0; from < rows; from += batch) {
    db.transaction(() => {
      for (let i = from; i < Math.min(rows, from + batch); i++) {
        const t = Math.floor(start + i * step);
        const at = new Date(t).toISOString();
        const r = next();
        const recent = i >= rows * 0.8;
        const status = recent && r < 0.05 ? 'pending' : r < 0.91 ? 'approved' : r < 0.96 ? 'rejected' : 'spam';
        if (status === 'pending') pending++;
        const thread = pickThread();
        if (thread === 0 && status === 'approved') approvedInTop++;
        const who = Math.floor(next() * 500_000);
        const reasons =
          status === 'approved'
            ? '[]'
            : status === 'spam'
              ? '[{"code":"SPAM_LINK","rule":"spam"}]'
              : '[{"code":"INSULT","rule":"profanity-vi","detail":"x","spans":[[0,1]]}]';
        insert.run(
          ulid(t),
          `article-${thread}`,
          authorName(who),
          who % 3 === 0 ? `reader${who}@example.vn` : null,
          `ak${who}`,
          bodies[i % bodies.length] ?? 'Bình luận',
          status,
          reasons,
          status === 'approved' ? 0 : 0.8,
          `ip${hex()}`,
          hex() + hex(),
          ulid(t),
          at,
          at,
          status === 'pending' ? null : at,
          status === 'pending' ? null : 'auto',
        );
      }
    })();
  }
  db.pragma('wal_checkpoint(TRUNCATE)');
  db.close();
  return {
    rows,
    threads,
    pending,
    approvedInTopThread: approvedInTop,
    seconds: Math.round((performance.now() - started) / 100) / 10,
  };
}
