import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createNodeWebhookTransport } from '../../src/runtime/node-webhook-transport.ts';
import { createUrlGuard } from '../../src/webhooks/ssrf.ts';
import { RESPONSE_EXCERPT_BYTES, WebhookSendError } from '../../src/webhooks/transport.ts';
import { type Receiver, sleep, startReceiver, status } from './receiver.ts';

let receiver: Receiver;
beforeAll(async () => {
  receiver = await startReceiver();
});
afterAll(async () => {
  await receiver.close();
});
beforeEach(() => receiver.reset());

const open = createNodeWebhookTransport({ guard: createUrlGuard({ resolve: async () => [], allowPrivate: true }) });
const request = (url: string, timeoutMs = 2_000) => ({
  url,
  headers: { 'content-type': 'application/json', 'webhook-id': 'msg_test' },
  body: '{"type":"comment.approved"}',
  timeoutMs,
});

async function sendError(promise: Promise<unknown>): Promise<WebhookSendError> {
  try {
    await promise;
  } catch (err) {
    if (err instanceof WebhookSendError) return err;
    throw err;
  }
  throw new Error('expected the send to fail');
}

describe('Node webhook transport', () => {
  it('posts the body with the given headers and returns the answer', async () => {
    receiver.reply(status(202, { 'x-receiver': 'yes' }, 'accepted'));
    const res = await open.send(request(receiver.url));
    expect(res.status).toBe(202);
    expect(res.headers['x-receiver']).toBe('yes');
    expect(res.bodyExcerpt).toBe('accepted');
    expect(res.durationMs).toBeGreaterThanOrEqual(0);
    expect(receiver.received).toHaveLength(1);
    expect(receiver.received[0]?.body).toBe('{"type":"comment.approved"}');
    expect(receiver.received[0]?.headers['webhook-id']).toBe('msg_test');
    expect(receiver.received[0]?.headers['content-length']).toBe('27');
  });

  it('keeps at most 1 KiB of the response body', async () => {
    receiver.reply(status(500, {}, 'é'.repeat(5_000)));
    const res = await open.send(request(receiver.url));
    expect(res.status).toBe(500);
    expect(res.bodyExcerpt).toBe('é'.repeat(RESPONSE_EXCERPT_BYTES / 2));
  });

  it('keeps the connection for the next request, and drops one whose long answer it stopped reading', async () => {
    const a = await open.send(request(receiver.url));
    const b = await open.send(request(receiver.url));
    expect([a.status, b.status]).toEqual([200, 200]);
    const [first, second] = receiver.received;
    expect(second?.clientPort).toBe(first?.clientPort);
    // A body past the excerpt is not read to its end: that socket is destroyed, not reused.
    receiver.reply(status(500, {}, 'x'.repeat(200_000)));
    expect((await open.send(request(receiver.url))).status).toBe(500);
    const c = await open.send(request(receiver.url));
    expect(c.status).toBe(200);
    const ports = receiver.received.map((r) => r.clientPort);
    expect(ports[3]).not.toBe(ports[2]);
  });

  it('returns a redirect without following it', async () => {
    receiver.reply(status(302, { location: `${receiver.url}/elsewhere` }));
    const res = await open.send(request(receiver.url));
    expect(res.status).toBe(302);
    expect(receiver.received).toHaveLength(1);
  });

  it('fails with TIMEOUT when the receiver does not answer in time', async () => {
    receiver.reply(async (_req, res) => {
      await sleep(500);
      res.writeHead(200).end('too late');
    });
    const err = await sendError(open.send(request(receiver.url, 100)));
    expect(err.kind).toBe('TIMEOUT');
    expect(err.durationMs).toBeGreaterThanOrEqual(90);
  });

  it('fails with NETWORK when nothing listens', async () => {
    const err = await sendError(open.send(request('http://127.0.0.1:1/')));
    expect(err.kind).toBe('NETWORK');
  });

  describe('with private targets refused', () => {
    // The registration check believed DNS said "public"; the socket's own lookup says otherwise.
    const guard = createUrlGuard({ resolve: async () => ['93.184.215.14'], allowPrivate: false });
    const strict = createNodeWebhookTransport({ guard });

    it('refuses at connection time a host name that now resolves to loopback (DNS rebinding)', async () => {
      const url = receiver.url.replace('127.0.0.1', 'localhost');
      expect((await guard.check(url)).ok).toBe(true);
      const err = await sendError(strict.send(request(url)));
      expect(err.kind).toBe('FORBIDDEN_ADDRESS');
      expect(err.message).toMatch(/^localhost resolves to (127\.0\.0\.1|::1) \(loopback\)$/);
      expect(receiver.received).toHaveLength(0);
    });

    it('refuses an IP literal that is not public', async () => {
      const err = await sendError(strict.send(request(receiver.url)));
      expect(err.kind).toBe('FORBIDDEN_ADDRESS');
      expect(err.message).toBe('127.0.0.1 is not allowed (loopback)');
      expect(receiver.received).toHaveLength(0);
    });
  });
});
