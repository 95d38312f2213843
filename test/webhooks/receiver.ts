import { createServer, type IncomingHttpHeaders, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface Received {
  headers: IncomingHttpHeaders;
  body: string;
  /** The client's port: requests on one kept-alive connection share it. */
  clientPort?: number | undefined;
}

export type Handler = (req: Received, res: ServerResponse) => void | Promise<void>;

/** A real webhook receiver on 127.0.0.1 (random port) that records every request. */
export interface Receiver {
  url: string;
  received: Received[];
  /** Answers requests in order with these handlers, then with `fallback`. */
  reply(...handlers: Handler[]): void;
  fallback: Handler;
  /** Resolves once `n` requests have arrived in total. */
  waitFor(n: number, timeoutMs?: number): Promise<Received[]>;
  reset(): void;
  close(): Promise<void>;
}

export const ok: Handler = (_req, res) => {
  res.writeHead(200, { 'content-type': 'text/plain' }).end('ok');
};

export function status(code: number, headers: Record<string, string> = {}, body = ''): Handler {
  return (_req, res) => {
    res.writeHead(code, headers).end(body);
  };
}

export const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

export async function startReceiver(port = 0): Promise<Receiver> {
  const queue: Handler[] = [];
  const received: Received[] = [];
  const waiters: { n: number; resolve: () => void }[] = [];
  const receiver: Receiver = {
    url: '',
    received,
    fallback: ok,
    reply: (...handlers) => queue.push(...handlers),
    waitFor(n, timeoutMs = 5_000) {
      if (received.length >= n) return Promise.resolve(received);
      return new Promise((resolve, reject) => {
        const timer = setTimeout(
          () => reject(new Error(`receiver got ${received.length} of ${n} requests`)),
          timeoutMs,
        );
        waiters.push({
          n,
          resolve: () => {
            clearTimeout(timer);
            resolve(received);
          },
        });
      });
    },
    reset() {
      queue.length = 0;
      received.length = 0;
      receiver.fallback = ok;
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const entry: Received = {
        headers: req.headers,
        body: Buffer.concat(chunks).toString('utf8'),
        clientPort: req.socket.remotePort,
      };
      received.push(entry);
      for (const w of waiters.filter((w) => received.length >= w.n)) {
        waiters.splice(waiters.indexOf(w), 1);
        w.resolve();
      }
      const handler = queue.shift() ?? receiver.fallback;
      Promise.resolve(handler(entry, res)).catch(() => res.destroy());
    });
  });
  await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
  receiver.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/hooks/duyet`;
  return receiver;
}
