import { lookup as dnsLookup, type LookupAddress } from 'node:dns';
import { lookup as dnsLookupAll } from 'node:dns/promises';
import http from 'node:http';
import https from 'node:https';
import { isIP, type LookupFunction } from 'node:net';
import type { Resolve, UrlGuard } from '../webhooks/ssrf.ts';
import {
  excerpt,
  RESPONSE_EXCERPT_BYTES,
  type WebhookRequest,
  type WebhookResponse,
  WebhookSendError,
  type WebhookTransport,
} from '../webhooks/transport.ts';

/** All A and AAAA addresses of a host, as the operating system resolves them. */
export const nodeResolve: Resolve = async (host) => {
  const addresses = await dnsLookupAll(host, { all: true, verbatim: true });
  return addresses.map((a) => a.address);
};

/**
 * A DNS lookup for the socket that refuses to connect when any address is not allowed. Checking here,
 * on the addresses the socket really uses, closes the gap between the registration check and the
 * connection (DNS rebinding: a host that answered with a public address then with 127.0.0.1).
 */
function guardedLookup(guard: UrlGuard): LookupFunction {
  return (hostname, options, callback) => {
    dnsLookup(hostname, { ...options, all: true }, (err, addresses: LookupAddress[]) => {
      if (err) return callback(err, '', 0);
      for (const a of addresses) {
        const why = guard.checkAddress(a.address);
        if (why) {
          const refused = new WebhookSendError('FORBIDDEN_ADDRESS', `${hostname} resolves to ${a.address} (${why})`);
          return callback(refused as unknown as NodeJS.ErrnoException, '', 0);
        }
      }
      const first = addresses[0];
      if (!first) return callback(Object.assign(new Error(`${hostname} has no address`), { code: 'ENOTFOUND' }), '', 0);
      if (options.all) return callback(null, addresses);
      return callback(null, first.address, first.family);
    });
  };
}

/**
 * Sends webhooks with node:http/node:https: redirects never followed, one deadline for the whole
 * exchange. Connections are kept alive in agents of this transport's own, so every pooled socket was
 * opened through the guarded lookup (its address checked when it connected); a receiver getting many
 * events then costs one TCP (and TLS) handshake, not one per delivery. Idle sockets close after 4 s,
 * before the usual 5 s server-side keep-alive timeout, so a reused socket is rarely one being closed.
 */
export function createNodeWebhookTransport(options: { guard: UrlGuard }): WebhookTransport {
  const lookup = guardedLookup(options.guard);
  const pool = { keepAlive: true, maxSockets: 32, maxFreeSockets: 32, timeout: 4000 };
  const agents = { http: new http.Agent(pool), https: new https.Agent(pool) };
  return {
    send(req: WebhookRequest): Promise<WebhookResponse> {
      const started = performance.now();
      const elapsed = () => Math.round(performance.now() - started);
      return new Promise<WebhookResponse>((resolve, reject) => {
        let settled = false;
        const fail = (err: WebhookSendError) => {
          if (settled) return;
          settled = true;
          clearTimeout(timer);
          reject(err);
        };
        let url: URL;
        try {
          url = new URL(req.url);
        } catch {
          return reject(new WebhookSendError('NETWORK', 'invalid URL'));
        }
        // The socket does not call `lookup` for an IP literal, so the literal is checked here.
        const host = url.hostname.replace(/^\[|\]$/g, '');
        if (isIP(host)) {
          const why = options.guard.checkAddress(host);
          if (why) return reject(new WebhookSendError('FORBIDDEN_ADDRESS', `${host} is not allowed (${why})`));
        }
        const mod = url.protocol === 'https:' ? https : http;
        const request = mod.request(
          url,
          {
            method: 'POST',
            headers: { ...req.headers, 'content-length': String(Buffer.byteLength(req.body)) },
            agent: url.protocol === 'https:' ? agents.https : agents.http,
            lookup,
          },
          (res) => {
            const chunks: Buffer[] = [];
            let size = 0;
            const finish = (early: boolean) => {
              if (settled) return;
              settled = true;
              clearTimeout(timer);
              const headers: Record<string, string> = {};
              for (const [k, v] of Object.entries(res.headers)) {
                if (v !== undefined) headers[k] = Array.isArray(v) ? v.join(', ') : v;
              }
              resolve({
                status: res.statusCode ?? 0,
                headers,
                bodyExcerpt: excerpt(Buffer.concat(chunks)),
                durationMs: elapsed(),
              });
              // The rest of a long body is of no use to the log; a body read to its end leaves the
              // socket to the pool.
              if (early) res.destroy();
            };
            res.on('data', (chunk: Buffer) => {
              if (size <= RESPONSE_EXCERPT_BYTES) {
                chunks.push(chunk);
                size += chunk.length;
              }
              if (size > RESPONSE_EXCERPT_BYTES) finish(true);
            });
            res.on('end', () => finish(false));
            res.on('error', (err) => fail(new WebhookSendError('NETWORK', err.message, elapsed())));
          },
        );
        const timer = setTimeout(() => {
          const err = new WebhookSendError('TIMEOUT', `no complete answer within ${req.timeoutMs} ms`, elapsed());
          fail(err);
          request.destroy(err);
        }, req.timeoutMs);
        request.on('error', (err) => {
          if (err instanceof WebhookSendError) return fail(new WebhookSendError(err.kind, err.message, elapsed()));
          fail(new WebhookSendError('NETWORK', err.message, elapsed()));
        });
        request.end(req.body);
      });
    },
  };
}
