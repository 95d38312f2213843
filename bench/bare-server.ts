/**
 * The least a comment endpoint can do on node:http, as the benchmark's yardstick: POST parses the
 * JSON body and answers JSON; GET answers a small JSON list (BARE_LIST_FILE, the same size of page the
 * real server answers). `POST /hook` answers 204: it is also the webhook receiver of Duyệt's outbox
 * (`GET /hooks-received` counts them).
 * Started by `bench/run.ts`; listens on 127.0.0.1 only.
 */
import { readFileSync } from 'node:fs';
import { createServer } from 'node:http';
import { exitWithParent } from './lib/processes.ts';

const list: unknown = process.env.BARE_LIST_FILE ? JSON.parse(readFileSync(process.env.BARE_LIST_FILE, 'utf8')) : [];
let seq = 0;
let hooksReceived = 0;

const server = createServer((req, res) => {
  if (req.url === '/hook') {
    // Also the benchmark's webhook receiver: Duyệt delivers its events here during its own rounds.
    hooksReceived++;
    req.resume();
    req.on('end', () => {
      res.writeHead(204);
      res.end();
    });
    return;
  }
  if (req.url === '/hooks-received') {
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end(JSON.stringify({ count: hooksReceived }));
    return;
  }
  if (req.method === 'POST') {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      let status = 201;
      let out: string;
      try {
        const body = JSON.parse(Buffer.concat(chunks).toString('utf8')) as { body?: unknown; authorName?: unknown };
        out = JSON.stringify({ comment: { id: String(++seq), body: body.body, authorName: body.authorName } });
      } catch {
        status = 400;
        out = '{"error":"bad json"}';
      }
      res.writeHead(status, { 'content-type': 'application/json' });
      res.end(out);
    });
    return;
  }
  res.writeHead(200, { 'content-type': 'application/json' });
  res.end(JSON.stringify({ comments: list, nextCursor: null, total: 10 }));
});

server.listen(Number(process.env.PORT ?? 0), '127.0.0.1');
process.on('SIGTERM', () => server.close(() => process.exit(0)));
// Never outlive the benchmark that started it.
exitWithParent();
