import { spawn } from 'node:child_process';
import { statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import SQLite from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { migrateToLatest } from '../../src/db/migrate.ts';
import { Store } from '../../src/db/store.ts';
import { ulid } from '../../src/lib/ids.ts';
import { openDatabase } from '../../src/runtime/node-db.ts';
import { scratch } from '../helpers/scratch.ts';
import { addEndpoint, newComment } from './store-contract.ts';

const ROOT = resolve(import.meta.dirname, '..', '..');
const { tempDir, track } = scratch('duyet-gc-');

async function openStore(options: { walRestartFrames?: number; checkpointIntervalMs?: number } = {}) {
  const path = join(tempDir(), 'duyet.sqlite');
  const handle = openDatabase(`file:${path}`, options);
  await migrateToLatest(handle.db);
  const store = new Store(handle, { now: () => new Date() });
  // Each insert's event is part of its unit only when an endpoint takes it.
  await addEndpoint(store);
  // A second connection sees only what is committed, as another process (or a crash) would.
  const reader = new SQLite(path, { readonly: true });
  return { handle, store, reader, path };
}

function committed(reader: SQLite.Database, id: string): boolean {
  return reader.prepare('select 1 from comments where id = ?').get(id) !== undefined;
}

describe('group commit on SQLite', () => {
  it('commits concurrent inserts in one transaction and acknowledges each only after the commit', async () => {
    const { handle, store, reader } = await openStore();
    const comments = Array.from({ length: 200 }, () => newComment({ threadId: 'burst' }));
    const seenAtAck: boolean[] = [];
    await Promise.all(
      comments.map((c) =>
        store.insertComment(c).then((record) => {
          seenAtAck.push(committed(reader, record.id));
        }),
      ),
    );
    expect(seenAtAck).toEqual(comments.map(() => true));
    expect(handle.local?.stats).toEqual({ commits: 1, units: 200 });
    expect(reader.prepare("select count(*) as n from comments where thread_id = 'burst'").get()).toEqual({ n: 200 });
    expect(reader.prepare("select count(*) as n from comment_history where action = 'created'").get()).toEqual({
      n: 200,
    });
    expect(reader.prepare('select count(*) as n from webhook_events').get()).toEqual({ n: 200 });
    reader.close();
    await handle.close();
  });

  it('rolls back a failing unit alone: its batch is run again one transaction per unit', async () => {
    const { handle, store, reader } = await openStore();
    const existing = newComment({ threadId: 'mixed' });
    await store.insertComment(existing);
    const before = handle.local?.stats.commits ?? 0;
    const good1 = newComment({ threadId: 'mixed' });
    const clash = newComment({ threadId: 'mixed', id: existing.id, body: 'same id again' });
    const good2 = newComment({ threadId: 'mixed' });
    const results = await Promise.allSettled([good1, clash, good2].map((c) => store.insertComment(c)));
    expect(results.map((r) => r.status)).toEqual(['fulfilled', 'rejected', 'fulfilled']);
    expect(String((results[1] as PromiseRejectedResult).reason)).toContain('UNIQUE constraint failed: comments.id');
    // The shared transaction was rolled back; the two good units then committed on their own.
    expect(handle.local?.stats.commits).toBe(before + 2);
    expect([good1.id, good2.id].map((id) => committed(reader, id))).toEqual([true, true]);
    // The failed unit's history row and event were rolled back with it.
    expect(reader.prepare('select count(*) as n from comment_history where comment_id = ?').get(existing.id)).toEqual({
      n: 1,
    });
    expect(reader.prepare('select count(*) as n from webhook_events where comment_id = ?').get(existing.id)).toEqual({
      n: 1,
    });
    expect(reader.prepare('select body from comments where id = ?').get(existing.id)).toEqual({ body: existing.body });
    reader.close();
    await handle.close();
  });

  it('waits for an open Kysely transaction instead of writing inside it', async () => {
    const { handle, store, reader } = await openStore();
    const inserted = newComment({ threadId: 'lock' });
    let insertDone = false;
    await handle.db
      .transaction()
      .execute(async (trx) => {
        await trx
          .insertInto('api_keys')
          .values({
            id: ulid(),
            name: 'k',
            role: 'admin',
            secret_hash: 'h',
            prefix: 'p',
            created_at: 'x',
            last_used_at: null,
            revoked_at: null,
          })
          .execute();
        void store.insertComment(inserted).then(() => {
          insertDone = true;
        });
        await new Promise((r) => setTimeout(r, 20));
        expect(insertDone).toBe(false);
        throw new Error('roll back the transaction');
      })
      .catch((err: Error) => expect(err.message).toBe('roll back the transaction'));
    await handle.local?.idle();
    expect(insertDone).toBe(true);
    expect(committed(reader, inserted.id)).toBe(true);
    expect(reader.prepare('select count(*) as n from api_keys').get()).toEqual({ n: 0 });
    reader.close();
    await handle.close();
  });
});

describe('WAL under writes that never pause', () => {
  /** Group commits back to back for a second; returns the longest the WAL file got. */
  async function longestWal(walRestartFrames: number): Promise<number> {
    const { handle, store, reader, path } = await openStore({ walRestartFrames, checkpointIntervalMs: 10 });
    const body = 'Bình luận dài về chuyện giao thông trong tỉnh. '.repeat(40);
    let longest = 0;
    let written = 0;
    const until = performance.now() + 1000;
    for (let burst = 0; performance.now() < until; burst++) {
      await Promise.all(
        Array.from({ length: 50 }, () => store.insertComment(newComment({ threadId: `t${burst % 7}`, body }))),
      );
      written += 50;
      longest = Math.max(longest, statSync(`${path}-wal`).size);
    }
    expect(reader.prepare('select count(*) as n from comments').get()).toEqual({ n: written });
    reader.close();
    await handle.close();
    return longest;
  }

  it('starts the WAL over once it is long, instead of letting it grow while the checkpointer trails', async () => {
    // Restart at 256 frames (1 MiB); the WAL stays near that, plus what is written while the worker's
    // report and the writer's checkpoint wait for a CPU (a busy machine runs the suites in parallel).
    // Without it the WAL grows to the writer's own backstop checkpoint at 10,000 frames (~40 MiB),
    // which stalls the event loop for tens of milliseconds.
    expect(await longestWal(256)).toBeLessThan(24 * 1024 * 1024);
  });
});

describe('crash consistency', () => {
  it('keeps every acknowledged comment when the server is killed mid-load', async () => {
    const dir = tempDir();
    const path = join(dir, 'duyet.sqlite');
    // Node runs the server directly (tsx's loader), so the kill hits the serving process itself.
    const child = spawn(process.execPath, ['--import', 'tsx', 'src/runtime/node-main.ts'], {
      cwd: ROOT,
      env: {
        ...process.env,
        PORT: '0',
        HOST: '127.0.0.1',
        LOG_LEVEL: 'info',
        DATABASE_URL: `file:${path}`,
        SECRET_KEY: 'crash-test-secret-0123456789abcdef0123456789',
        RATE_LIMIT_IP: 'off',
        RATE_LIMIT_AUTHOR: 'off',
        RATE_LIMIT_THREAD: 'off',
        RATE_LIMIT_GLOBAL: 'off',
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    track(child);
    const url = await new Promise<string>((resolveUrl, reject) => {
      const timer = setTimeout(() => reject(new Error('server did not start')), 30_000);
      let buffer = '';
      child.stdout?.on('data', (chunk: Buffer) => {
        buffer += chunk.toString();
        const m = /"msg":"listening".*?"port":(\d+)/.exec(buffer);
        if (m) {
          clearTimeout(timer);
          resolveUrl(`http://127.0.0.1:${m[1]}`);
        }
      });
    });
    const acknowledged: string[] = [];
    let n = 0;
    let stop = false;
    const workers = Array.from({ length: 20 }, async () => {
      while (!stop) {
        const i = n++;
        try {
          const res = await fetch(`${url}/api/v1/threads/crash-${i % 7}/comments`, {
            method: 'POST',
            headers: { 'content-type': 'application/json' },
            body: JSON.stringify({ body: `Bình luận số ${i} trước khi sập nguồn`, authorName: `Người ${i}` }),
          });
          if (res.status === 201 || res.status === 202) {
            acknowledged.push(((await res.json()) as { comment: { id: string } }).comment.id);
          }
        } catch {
          // the connection dies with the process
        }
      }
    });
    while (acknowledged.length < 300) await new Promise((r) => setTimeout(r, 10));
    child.kill('SIGKILL');
    stop = true;
    await Promise.all(workers);
    const db = new SQLite(path);
    const present = new Set((db.prepare('select id from comments').all() as { id: string }[]).map((r) => r.id));
    db.close();
    expect(acknowledged.filter((id) => !present.has(id))).toEqual([]);
    expect(present.size).toBeGreaterThanOrEqual(acknowledged.length);
  }, 60_000);
});
