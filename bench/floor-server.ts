/**
 * Floors for the benchmark: what a comment endpoint costs with only one of Duyệt's parts, so the
 * table shows where the distance between the bare server and Duyệt goes. Started by `bench/run.ts`;
 * listens on 127.0.0.1 only.
 *
 * - `FLOOR=hono`: Hono on @hono/node-server (Duyệt's HTTP stack), POST parses the JSON body and
 *   answers JSON, nothing else.
 * - `FLOOR=sqlite`: node:http, and each POST stores its comment row (Duyệt's schema and indexes,
 *   migrated, WAL, the same group commit and checkpointer) before answering; no validation, rules,
 *   rate limits, history or outbox.
 */
import { createServer } from 'node:http';
import { serve } from '@hono/node-server';
import { Hono } from 'hono';
import { migrateToLatest } from '../src/db/migrate.ts';
import { insertCommentRow } from '../src/db/sqlite-hot.ts';
import { ulid } from '../src/lib/ids.ts';
import { openDatabase } from '../src/runtime/node-db.ts';
import { exitWithParent } from './lib/processes.ts';

const port = Number(process.env.PORT ?? 0);
const floor = process.env.FLOOR ?? 'hono';

interface Posted {
  body?: unknown;
  authorName?: unknown;
}

if (floor === 'hono') {
  const app = new Hono();
  app.post('/api/v1/threads/:threadId/comments', async (c) => {
    const posted = (await c.req.json()) as Posted;
    return c.json({ comment: { id: ulid(), body: posted.body, authorName: posted.authorName } }, 201);
  });
  app.get('/healthz', (c) => c.json({ status: 'ok' }));
  const server = serve({ fetch: app.fetch, port, hostname: '127.0.0.1' });
  process.on('SIGTERM', () => server.close(() => process.exit(0)));
} else if (floor === 'sqlite') {
  const path = process.env.FLOOR_DATABASE;
  if (!path) throw new Error('FLOOR_DATABASE (a SQLite file path) is required');
  const handle = openDatabase(`file:${path}`);
  await migrateToLatest(handle.db);
  const local = handle.local;
  if (!local) throw new Error('expected the local SQLite connection');
  const server = createServer((req, res) => {
    if (req.method !== 'POST') {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end('{"status":"ok"}');
      return;
    }
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      let posted: Posted;
      try {
        posted = JSON.parse(Buffer.concat(chunks).toString('utf8')) as Posted;
      } catch {
        res.writeHead(400, { 'content-type': 'application/json' });
        res.end('{"error":"bad json"}');
        return;
      }
      const now = new Date().toISOString();
      const row = {
        id: ulid(),
        thread_id: (req.url ?? '').split('/')[4] ?? 'thread',
        parent_id: null,
        author_name: String(posted.authorName ?? ''),
        author_email: null,
        author_key: 'floor',
        body: String(posted.body ?? ''),
        original_body: null,
        status: 'approved',
        reasons: '[]',
        score: 0,
        ip_hash: null,
        text_hash: ulid(),
        report_count: 0,
        revision: ulid(),
        created_at: now,
        updated_at: now,
        decided_at: now,
        decided_by: 'auto',
      };
      local
        .write((db) => insertCommentRow(db, row))
        .then(
          () => {
            res.writeHead(201, { 'content-type': 'application/json' });
            res.end(JSON.stringify({ comment: { id: row.id, body: row.body, authorName: row.author_name } }));
          },
          () => {
            res.writeHead(500, { 'content-type': 'application/json' });
            res.end('{"error":"insert failed"}');
          },
        );
    });
  });
  server.listen(port, '127.0.0.1');
  process.on('SIGTERM', () => server.close(() => void handle.close().then(() => process.exit(0))));
} else {
  throw new Error(`FLOOR must be hono or sqlite, not ${floor}`);
}

// Never outlive the benchmark that started it.
exitWithParent();
