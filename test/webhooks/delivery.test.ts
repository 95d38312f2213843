import { readFileSync, rmSync } from 'node:fs';
import { Webhook } from 'standardwebhooks';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { WebhookStore } from '../../src/db/webhook-store.ts';
import { signPayload } from '../../src/webhooks/signing.ts';
import { ManualClock, startTestService, type TestService } from '../helpers/service.ts';
import { type Received, type Receiver, sleep, startReceiver, status } from './receiver.ts';

let receiver: Receiver;
beforeAll(async () => {
  receiver = await startReceiver();
});
afterAll(async () => {
  await receiver.close();
});
beforeEach(() => receiver.reset());

const services: TestService[] = [];
afterEach(async () => {
  for (const s of services.splice(0)) await s.cleanup();
});

interface Setup {
  svc: TestService;
  clock: ManualClock;
  webhookId: string;
  secret: string;
}

/** A service with the dispatcher stopped (tests call runOnce) and one endpoint on the receiver. */
async function setup(
  env: Record<string, string> = {},
  options: { events?: string[]; timeoutMs?: number } = {},
): Promise<Setup> {
  // standardwebhooks verifies timestamps against the real time, so the manual clock starts there.
  const clock = new ManualClock(Date.now());
  const svc = await startTestService(
    { WEBHOOK_RETRY_SCHEDULE: '5s,5m,30m', ...env },
    { clock, node: { startDispatcher: false, webhookTimeoutMs: options.timeoutMs ?? 2_000 } },
  );
  services.push(svc);
  const res = await svc.admin('POST', '/api/v1/webhooks', {
    url: receiver.url,
    ...(options.events ? { events: options.events } : {}),
  });
  expect(res.status).toBe(201);
  const { webhook, secret } = (await res.json()) as { webhook: { id: string }; secret: string };
  return { svc, clock, webhookId: webhook.id, secret };
}

let ipCounter = 0;
async function postComment(svc: TestService, body = 'Bài viết rất hữu ích, cảm ơn tác giả nhiều!') {
  ipCounter += 1;
  const res = await svc.call('POST', '/api/v1/threads/bai-viet-1/comments', {
    body: { body, authorName: 'Minh Anh' },
    ip: `198.51.100.${ipCounter % 250}`,
  });
  return { status: res.status, comment: ((await res.json()) as { comment: { id: string; status: string } }).comment };
}

interface DeliveryView {
  id: string;
  eventId: string;
  eventType: string | null;
  status: string;
  attemptCount: number;
  nextAttemptAt: string;
  lastStatusCode: number | null;
  lastError: string | null;
  attempts: { statusCode: number | null; error: string | null; responseExcerpt: string | null; durationMs: number }[];
}

async function deliveries(s: Setup): Promise<DeliveryView[]> {
  const res = await s.svc.admin('GET', `/api/v1/webhooks/${s.webhookId}/deliveries`);
  expect(res.status).toBe(200);
  return ((await res.json()) as { deliveries: DeliveryView[] }).deliveries;
}

async function webhook(s: Setup) {
  const res = await s.svc.admin('GET', `/api/v1/webhooks/${s.webhookId}`);
  return (
    (await res.json()) as {
      webhook: { enabled: boolean; disabledReason: string | null; failingSince: string | null };
    }
  ).webhook;
}

function header(r: Received | undefined, name: string): string {
  const value = r?.headers[name];
  if (typeof value !== 'string') throw new Error(`missing header ${name}`);
  return value;
}

/** Checks a request's signatures with our signer at its own timestamp (the clock may be far from real time). */
async function signatureOf(r: Received | undefined, secret: string): Promise<string> {
  return signPayload(secret, header(r, 'webhook-id'), Number(header(r, 'webhook-timestamp')), r?.body ?? '');
}

describe('webhook delivery', () => {
  it('gives way to a burst of requests for a while, then delivers regardless', async () => {
    const clock = new ManualClock(Date.now());
    const svc = await startTestService({}, { clock, node: { webhookTimeoutMs: 2_000, webhookMaxDeferMs: 600 } });
    services.push(svc);
    const res = await svc.admin('POST', '/api/v1/webhooks', { url: receiver.url });
    expect(res.status).toBe(201);
    const inFlight = svc.deps.inFlight;
    if (!inFlight) throw new Error('the Node service counts requests in flight');
    // Forty requests being answered: the comment's delivery waits while they last…
    inFlight.count += 40;
    expect((await postComment(svc)).status).toBe(201);
    await sleep(250);
    expect(receiver.received).toHaveLength(0);
    // …and goes out as soon as they are done.
    inFlight.count -= 40;
    await receiver.waitFor(1, 2_000);

    // Under pressure that does not end, it waits at most webhookMaxDeferMs, then delivers.
    inFlight.count += 40;
    const started = performance.now();
    expect((await postComment(svc, 'Một bình luận khác trong lúc đông người đọc')).status).toBe(201);
    await receiver.waitFor(2, 3_000);
    expect(performance.now() - started).toBeGreaterThanOrEqual(550);
    inFlight.count -= 40;
  });

  it("unseals an endpoint's secret once, not for every delivery, and every signature verifies", async () => {
    const s = await setup();
    const sealer = s.svc.deps.sealer;
    const open = sealer.open.bind(sealer);
    let opened = 0;
    sealer.open = (sealed) => {
      opened += 1;
      return open(sealed);
    };
    for (let i = 0; i < 5; i++) await postComment(s.svc, `Bình luận thứ ${i} về bài viết này, cảm ơn tác giả`);
    expect(await s.svc.dispatcher.runOnce()).toBe(5);
    expect(receiver.received).toHaveLength(5);
    for (const r of receiver.received) {
      expect(() => new Webhook(s.secret).verify(r.body, r.headers as Record<string, string>)).not.toThrow();
    }
    expect(opened).toBe(1);
    const logged = await deliveries(s);
    expect(logged.map((d) => [d.status, d.attemptCount, d.attempts.length])).toEqual(
      logged.map(() => ['succeeded', 1, 1]),
    );
  });

  it('delivers an auto-approved comment as a signed comment.approved event', async () => {
    const s = await setup();
    const { status: code, comment } = await postComment(s.svc);
    expect(code).toBe(201);
    expect(await s.svc.dispatcher.runOnce()).toBe(1);

    expect(receiver.received).toHaveLength(1);
    const got = receiver.received[0];
    expect(header(got, 'content-type')).toBe('application/json');
    expect(header(got, 'webhook-id')).toMatch(/^msg_[0-9A-Z]{26}$/);
    expect(header(got, 'webhook-timestamp')).toBe(String(Math.floor(s.clock.now().getTime() / 1000)));
    const payload = new Webhook(s.secret).verify(got?.body ?? '', got?.headers as Record<string, string>) as {
      type: string;
      timestamp: string;
      data: { comment: { id: string; status: string; body: string }; decision: { by: string } };
    };
    expect(payload.type).toBe('comment.approved');
    expect(payload.data.comment.id).toBe(comment.id);
    expect(payload.data.comment.status).toBe('approved');
    expect(payload.data.comment.body).toBe('Bài viết rất hữu ích, cảm ơn tác giả nhiều!');
    expect(payload.data.decision).toEqual({ by: 'auto' });

    const [delivery] = await deliveries(s);
    expect(delivery?.status).toBe('succeeded');
    expect(delivery?.eventId).toBe(header(got, 'webhook-id'));
    expect(delivery?.eventType).toBe('comment.approved');
    expect(delivery?.attempts.map((a) => [a.statusCode, a.error, a.responseExcerpt])).toEqual([[200, null, 'ok']]);
    expect(await s.svc.dispatcher.runOnce()).toBe(0);
  });

  it("delivers a moderator's approval to an endpoint subscribed to comment.approved only", async () => {
    const s = await setup({ MODERATION_MODE: 'pre' }, { events: ['comment.approved'] });
    const { status: code, comment } = await postComment(s.svc);
    expect(code).toBe(202);
    expect(await s.svc.dispatcher.runOnce()).toBe(0);

    const res = await s.svc.admin('POST', `/api/v1/moderation/comments/${comment.id}/approve`, { note: 'ok' });
    expect(res.status).toBe(200);
    expect(await s.svc.dispatcher.runOnce()).toBe(1);
    const got = receiver.received[0];
    const payload = new Webhook(s.secret).verify(got?.body ?? '', got?.headers as Record<string, string>) as {
      type: string;
      data: { comment: { id: string; status: string }; decision: unknown };
    };
    expect(payload.type).toBe('comment.approved');
    expect(payload.data.comment).toMatchObject({ id: comment.id, status: 'approved', decidedBy: 'admin-token' });
    expect(payload.data.decision).toEqual({ by: 'moderator', keyId: 'admin-token', note: 'ok' });
    expect(receiver.received).toHaveLength(1);
  });

  it('retries after 503s with the same webhook-id and a fresh signature each time', async () => {
    const s = await setup();
    receiver.reply(status(503, {}, 'busy'), status(503, {}, 'still busy'));
    await postComment(s.svc);

    expect(await s.svc.dispatcher.runOnce()).toBe(1);
    let [d] = await deliveries(s);
    expect(d?.status).toBe('pending');
    expect(d?.lastStatusCode).toBe(503);
    expect(d?.lastError).toBe('HTTP 503');
    const firstRetry = Date.parse(d?.nextAttemptAt ?? '') - s.clock.now().getTime();
    expect(firstRetry).toBeGreaterThanOrEqual(4_500);
    expect(firstRetry).toBeLessThanOrEqual(5_500);
    expect((await webhook(s)).failingSince).toBe(s.clock.now().toISOString());

    expect(await s.svc.dispatcher.runOnce()).toBe(0);
    s.clock.advance(5_500);
    expect(await s.svc.dispatcher.runOnce()).toBe(1);
    s.clock.advance(330_000);
    expect(await s.svc.dispatcher.runOnce()).toBe(1);

    [d] = await deliveries(s);
    expect(d?.status).toBe('succeeded');
    expect(d?.attemptCount).toBe(3);
    expect(d?.attempts.map((a) => [a.statusCode, a.error, a.responseExcerpt])).toEqual([
      [503, 'HTTP 503', 'busy'],
      [503, 'HTTP 503', 'still busy'],
      [200, null, 'ok'],
    ]);
    expect(receiver.received.map((r) => header(r, 'webhook-id'))).toEqual(Array(3).fill(d?.eventId));
    expect(new Set(receiver.received.map((r) => header(r, 'webhook-timestamp'))).size).toBe(3);
    for (const r of receiver.received) expect(header(r, 'webhook-signature')).toBe(await signatureOf(r, s.secret));
    expect((await webhook(s)).failingSince).toBeNull();
  });

  it('retries after a timeout with the same webhook-id', async () => {
    const s = await setup({}, { timeoutMs: 200 });
    receiver.reply(async (_req, res) => {
      await sleep(600);
      res.writeHead(200).end('too late');
    });
    await postComment(s.svc);

    expect(await s.svc.dispatcher.runOnce()).toBe(1);
    let [d] = await deliveries(s);
    expect(d?.status).toBe('pending');
    expect(d?.lastStatusCode).toBeNull();
    expect(d?.lastError).toBe('TIMEOUT: no complete answer within 200 ms');
    expect(d?.attempts[0]?.durationMs).toBeGreaterThanOrEqual(190);

    s.clock.advance(5_500);
    expect(await s.svc.dispatcher.runOnce()).toBe(1);
    [d] = await deliveries(s);
    expect(d?.status).toBe('succeeded');
    expect(d?.attempts.map((a) => a.statusCode)).toEqual([null, 200]);
    expect(receiver.received.map((r) => header(r, 'webhook-id'))).toEqual([d?.eventId, d?.eventId]);
  });

  it('treats a redirect as a failure and does not follow it', async () => {
    const s = await setup();
    receiver.reply(status(301, { location: `${receiver.url}/moved` }));
    await postComment(s.svc);
    expect(await s.svc.dispatcher.runOnce()).toBe(1);
    const [d] = await deliveries(s);
    expect(d?.status).toBe('pending');
    expect(d?.lastError).toBe('redirect 301 not followed');
    expect(receiver.received).toHaveLength(1);
  });

  it('disables the endpoint on 410 and cancels its pending deliveries', async () => {
    const s = await setup();
    receiver.reply(status(503), status(410, {}, 'gone'));
    const first = await postComment(s.svc, 'Bình luận thứ nhất về bài viết này.');
    expect(await s.svc.dispatcher.runOnce()).toBe(1);
    const second = await postComment(s.svc, 'Bình luận thứ hai về bài viết này.');
    expect(await s.svc.dispatcher.runOnce()).toBe(1);

    expect(await webhook(s)).toMatchObject({ enabled: false, disabledReason: 'RECEIVER_GONE' });
    const byComment = new Map((await deliveries(s)).map((d) => [d.id, d]));
    const payloads = receiver.received.map((r) => JSON.parse(r.body) as { data: { comment: { id: string } } });
    expect(payloads.map((p) => p.data.comment.id)).toEqual([first.comment.id, second.comment.id]);
    const [firstDelivery, secondDelivery] = receiver.received.map((r) =>
      byComment.get(`${header(r, 'webhook-id')}.${s.webhookId}`),
    );
    expect(firstDelivery).toMatchObject({ status: 'cancelled', lastError: 'endpoint disabled: RECEIVER_GONE' });
    expect(secondDelivery).toMatchObject({ status: 'failed', lastStatusCode: 410, attemptCount: 1 });

    // A disabled endpoint gets no new deliveries, and nothing is sent again.
    await postComment(s.svc, 'Bình luận thứ ba về bài viết này.');
    s.clock.advance(3_600_000);
    expect(await s.svc.dispatcher.runOnce()).toBe(0);
    expect(await deliveries(s)).toHaveLength(2);
    expect(receiver.received).toHaveLength(2);

    const enabled = await s.svc.admin('POST', `/api/v1/webhooks/${s.webhookId}/enable`);
    expect(enabled.status).toBe(200);
    expect(await webhook(s)).toMatchObject({ enabled: true, disabledReason: null, failingSince: null });
  });

  it('waits for a Retry-After longer than the schedule', async () => {
    const s = await setup();
    receiver.reply(status(429, { 'retry-after': '120' }));
    await postComment(s.svc);
    const attemptAt = s.clock.now().getTime();
    expect(await s.svc.dispatcher.runOnce()).toBe(1);
    const [d] = await deliveries(s);
    expect(d?.nextAttemptAt).toBe(new Date(attemptAt + 120_000).toISOString());

    s.clock.advance(119_000);
    expect(await s.svc.dispatcher.runOnce()).toBe(0);
    s.clock.advance(1_000);
    expect(await s.svc.dispatcher.runOnce()).toBe(1);
    expect((await deliveries(s))[0]?.status).toBe('succeeded');
  });

  it('reads Retry-After as an HTTP date', async () => {
    const s = await setup();
    const at = new Date(Math.ceil(s.clock.now().getTime() / 1000) * 1000 + 600_000);
    receiver.reply(status(503, { 'retry-after': at.toUTCString() }));
    await postComment(s.svc);
    expect(await s.svc.dispatcher.runOnce()).toBe(1);
    expect((await deliveries(s))[0]?.nextAttemptAt).toBe(at.toISOString());
  });

  it('gives up once the schedule is exhausted', async () => {
    const s = await setup({ WEBHOOK_RETRY_SCHEDULE: '5s,5m' });
    receiver.fallback = status(500, {}, 'boom');
    await postComment(s.svc);
    expect(await s.svc.dispatcher.runOnce()).toBe(1);
    s.clock.advance(5_500);
    expect(await s.svc.dispatcher.runOnce()).toBe(1);
    s.clock.advance(330_000);
    expect(await s.svc.dispatcher.runOnce()).toBe(1);
    s.clock.advance(86_400_000);
    expect(await s.svc.dispatcher.runOnce()).toBe(0);
    const [d] = await deliveries(s);
    expect(d).toMatchObject({ status: 'failed', attemptCount: 3, lastStatusCode: 500, lastError: 'HTTP 500' });
    expect(await webhook(s)).toMatchObject({ enabled: true, disabledReason: null });
  });

  it('disables an endpoint that has failed continuously for 5 days', async () => {
    const s = await setup({ WEBHOOK_RETRY_SCHEDULE: '1d,1d,1d,1d,1d,1d,1d' });
    receiver.fallback = status(502);
    await postComment(s.svc);
    const started = s.clock.now().toISOString();
    for (let i = 0; i < 5; i++) {
      expect(await s.svc.dispatcher.runOnce()).toBe(1);
      expect(await webhook(s)).toMatchObject({ enabled: true, failingSince: started });
      s.clock.advance(1.2 * 86_400_000);
    }
    expect(await s.svc.dispatcher.runOnce()).toBe(1);
    expect(await webhook(s)).toMatchObject({
      enabled: false,
      disabledReason: 'FAILING_TOO_LONG',
      failingSince: started,
    });
    expect((await deliveries(s))[0]).toMatchObject({ status: 'cancelled', attemptCount: 6 });
  });

  it('lets an admin retry a delivery by hand', async () => {
    const s = await setup({ WEBHOOK_RETRY_SCHEDULE: '5s' });
    receiver.reply(status(500), status(500));
    await postComment(s.svc);
    await s.svc.dispatcher.runOnce();
    s.clock.advance(5_500);
    await s.svc.dispatcher.runOnce();
    let [d] = await deliveries(s);
    expect(d?.status).toBe('failed');

    const res = await s.svc.admin('POST', `/api/v1/webhooks/${s.webhookId}/deliveries/${d?.id}/retry`);
    expect(res.status).toBe(202);
    const body = (await res.json()) as { delivery: DeliveryView };
    expect(body.delivery).toMatchObject({ id: d?.id, status: 'pending', nextAttemptAt: s.clock.now().toISOString() });
    expect(await s.svc.dispatcher.runOnce()).toBe(1);

    [d] = await deliveries(s);
    expect(d).toMatchObject({ status: 'succeeded', attemptCount: 3 });
    expect(receiver.received.map((r) => header(r, 'webhook-id'))).toEqual(Array(3).fill(d?.eventId));

    const unknown = await s.svc.admin(
      'POST',
      `/api/v1/webhooks/${s.webhookId}/deliveries/msg_01JDX00000000000000000000A.${s.webhookId}/retry`,
    );
    expect(unknown.status).toBe(404);
  });

  it('claims a delivery again once the lease of a dead worker expires', async () => {
    const s = await setup();
    await postComment(s.svc);
    const store = new WebhookStore(s.svc.deps.store);
    const now = s.clock.now().getTime();
    const [dead] = await store.claimDue({
      leaseOwner: 'dead-worker/1',
      now: new Date(now).toISOString(),
      leaseUntil: new Date(now + 60_000).toISOString(),
      limit: 10,
    });
    expect(dead).toBeDefined();

    expect(await s.svc.dispatcher.runOnce()).toBe(0);
    s.clock.advance(60_001);
    expect(await s.svc.dispatcher.runOnce()).toBe(1);
    expect(receiver.received).toHaveLength(1);
    expect((await deliveries(s))[0]?.status).toBe('succeeded');

    // The dead worker waking up cannot overwrite what the new lease holder recorded.
    if (!dead) throw new Error('unreachable');
    expect(
      await store.finishDelivery(
        dead,
        { status: 'failed', statusCode: 500, error: 'late' },
        s.clock.now().toISOString(),
      ),
    ).toBe(false);
    expect((await deliveries(s))[0]?.status).toBe('succeeded');
  });

  it('signs with both secrets during a rotation, then with the new one only', async () => {
    const s = await setup();
    const res = await s.svc.admin('POST', `/api/v1/webhooks/${s.webhookId}/rotate-secret`);
    expect(res.status).toBe(200);
    const rotated = (await res.json()) as { secret: string; previousSecretExpiresAt: string };
    expect(rotated.secret).toMatch(/^whsec_/);
    expect(rotated.secret).not.toBe(s.secret);
    expect(rotated.previousSecretExpiresAt).toBe(new Date(s.clock.now().getTime() + 86_400_000).toISOString());

    await postComment(s.svc, 'Bình luận trong lúc đổi khoá bí mật.');
    await s.svc.dispatcher.runOnce();
    const during = receiver.received[0];
    expect(header(during, 'webhook-signature').split(' ')).toHaveLength(2);
    for (const secret of [s.secret, rotated.secret]) {
      expect(new Webhook(secret).verify(during?.body ?? '', during?.headers as Record<string, string>)).toMatchObject({
        type: 'comment.approved',
      });
    }

    s.clock.advance(86_400_001);
    await postComment(s.svc, 'Bình luận sau khi đổi khoá bí mật xong.');
    await s.svc.dispatcher.runOnce();
    const after = receiver.received[1];
    expect(header(after, 'webhook-signature')).toBe(await signatureOf(after, rotated.secret));
    expect(header(after, 'webhook-signature')).not.toContain(' ');
  });

  it('keeps webhook secrets out of the database in clear', async () => {
    const s = await setup();
    const rotated = (await (await s.svc.admin('POST', `/api/v1/webhooks/${s.webhookId}/rotate-secret`)).json()) as {
      secret: string;
    };
    const row = await s.svc.deps.store.db
      .selectFrom('webhooks')
      .select(['secret_enc', 'previous_secret_enc'])
      .where('id', '=', s.webhookId)
      .executeTakeFirstOrThrow();
    expect(row.secret_enc).toMatch(/^v1\./);
    expect(await s.svc.deps.sealer.open(row.secret_enc)).toBe(rotated.secret);
    expect(await s.svc.deps.sealer.open(row.previous_secret_enc ?? '')).toBe(s.secret);

    const files = [s.svc.dbPath, `${s.svc.dbPath}-wal`].map((f) => {
      try {
        return readFileSync(f).toString('latin1');
      } catch {
        return '';
      }
    });
    expect(files.join('').length).toBeGreaterThan(0);
    for (const secret of [s.secret, rotated.secret]) {
      for (const text of files) {
        expect(text.includes(secret)).toBe(false);
        expect(text.includes(secret.slice('whsec_'.length))).toBe(false);
      }
    }
    const list = await (await s.svc.admin('GET', '/api/v1/webhooks')).text();
    expect(list.includes(s.secret.slice('whsec_'.length))).toBe(false);
    expect(list.includes(rotated.secret.slice('whsec_'.length))).toBe(false);
  });
});

describe('webhook delivery across processes', () => {
  it('delivers after a crash between the decision and the delivery', async () => {
    const first = await startTestService({}, { node: { startDispatcher: false } });
    const created = await first.admin('POST', '/api/v1/webhooks', { url: receiver.url });
    const { secret } = (await created.json()) as { secret: string };
    const { comment } = await postComment(first);
    // The process "dies" with the event recorded but never sent.
    await first.close();
    expect(receiver.received).toHaveLength(0);

    const second = await startTestService({}, { dir: first.dir });
    try {
      const [got] = await receiver.waitFor(1);
      const payload = new Webhook(secret).verify(got?.body ?? '', got?.headers as Record<string, string>) as {
        type: string;
        data: { comment: { id: string } };
      };
      expect(payload.type).toBe('comment.approved');
      expect(payload.data.comment.id).toBe(comment.id);
    } finally {
      await second.cleanup();
      rmSync(first.dir, { recursive: true, force: true });
    }
  });

  it("answers the reader's POST before a slow receiver responds", async () => {
    const svc = await startTestService({});
    services.push(svc);
    await svc.admin('POST', '/api/v1/webhooks', { url: receiver.url });
    const order: string[] = [];
    let answered: () => void = () => {};
    const done = new Promise<void>((r) => {
      answered = r;
    });
    receiver.reply(async (_req, res) => {
      order.push('receiver got the event');
      await sleep(2_000);
      res.writeHead(200).end('ok');
      order.push('receiver answered');
      answered();
    });

    const { status: code } = await postComment(svc);
    order.push('reader got the answer');
    expect(code).toBe(201);
    await done;
    expect(order).toEqual(['reader got the answer', 'receiver got the event', 'receiver answered']);
  });
});
