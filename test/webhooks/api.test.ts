import { afterEach, describe, expect, it } from 'vitest';
import { ManualClock, startTestService, type TestService } from '../helpers/service.ts';

const services: TestService[] = [];
afterEach(async () => {
  for (const s of services.splice(0)) await s.cleanup();
});

async function start(env: Record<string, string> = {}) {
  const clock = new ManualClock();
  const svc = await startTestService(env, { clock, node: { startDispatcher: false } });
  services.push(svc);
  return { svc, clock };
}

async function json<T>(res: Response): Promise<T> {
  return (await res.json()) as T;
}

interface ErrorBody {
  error: { code: string; details?: Record<string, unknown> };
}

describe('webhook API', () => {
  it('creates an endpoint and shows its secret once', async () => {
    const { svc, clock } = await start();
    const res = await svc.admin('POST', '/api/v1/webhooks', {
      url: 'http://127.0.0.1:9999/hook',
      events: ['comment.rejected', 'comment.approved', 'comment.approved'],
      description: 'CMS cache',
    });
    expect(res.status).toBe(201);
    const body = await json<{ webhook: Record<string, unknown>; secret: string }>(res);
    expect(body.secret).toMatch(/^whsec_[A-Za-z0-9+/]{32}$/);
    expect(body.webhook).toEqual({
      id: expect.stringMatching(/^[0-9A-Z]{26}$/),
      url: 'http://127.0.0.1:9999/hook',
      description: 'CMS cache',
      events: ['comment.approved', 'comment.rejected'],
      enabled: true,
      disabledReason: null,
      failingSince: null,
      previousSecretExpiresAt: null,
      createdAt: clock.now().toISOString(),
      updatedAt: clock.now().toISOString(),
    });

    const one = await svc.admin('GET', `/api/v1/webhooks/${body.webhook.id}`);
    expect(await json(one)).toEqual({ webhook: body.webhook });
    const list = await svc.admin('GET', '/api/v1/webhooks');
    expect(await json(list)).toEqual({ webhooks: [body.webhook] });
  });

  it('subscribes to every event by default', async () => {
    const { svc } = await start();
    const res = await svc.admin('POST', '/api/v1/webhooks', { url: 'http://127.0.0.1:9999/hook' });
    expect((await json<{ webhook: { events: string[] } }>(res)).webhook.events).toEqual(['*']);
    const star = await svc.admin('POST', '/api/v1/webhooks', {
      url: 'http://127.0.0.1:9999/hook',
      events: ['comment.spam', '*'],
    });
    expect((await json<{ webhook: { events: string[] } }>(star)).webhook.events).toEqual(['*']);
  });

  it('refuses an unknown event type', async () => {
    const { svc } = await start();
    const res = await svc.admin('POST', '/api/v1/webhooks', { url: 'http://127.0.0.1/', events: ['comment.deleted'] });
    expect(res.status).toBe(422);
    expect((await json<ErrorBody>(res)).error.code).toBe('VALIDATION_FAILED');
  });

  it.each([
    ['http://127.0.0.1:8080/hook', 'loopback'],
    ['http://0x7f.1/', 'loopback'],
    ['http://2130706433/', 'loopback'],
    ['http://[::ffff:10.0.0.1]/', 'ipv4Mapped 10.0.0.1 (private)'],
    ['http://169.254.169.254/latest/meta-data/', 'linkLocal'],
    ['http://localhost:8080/', 'loopback'],
    ['ftp://example.com/', 'only http and https'],
    ['https://user:pw@example.com/', 'credentials in URL'],
  ])('answers 422 WEBHOOK_URL_FORBIDDEN for %s', async (url, reason) => {
    const { svc } = await start({ WEBHOOK_ALLOW_PRIVATE: 'false' });
    const res = await svc.call('POST', '/api/v1/webhooks?lang=en', {
      body: { url },
      headers: { authorization: 'Bearer test-admin-token-0123456789abcdef' },
    });
    expect(res.status).toBe(422);
    const body = await json<ErrorBody & { error: { message: string } }>(res);
    expect(body.error.code).toBe('WEBHOOK_URL_FORBIDDEN');
    expect(body.error.message).toBe('This webhook URL is not allowed (private or non-public address)');
    expect(body.error.details?.reason).toBe(reason);
    expect(await json(await svc.admin('GET', '/api/v1/webhooks'))).toEqual({ webhooks: [] });
  });

  it('is for admins only', async () => {
    const { svc } = await start();
    expect((await svc.call('GET', '/api/v1/webhooks')).status).toBe(401);
    const key = await json<{ secret: string }>(
      await svc.admin('POST', '/api/v1/keys', { name: 'mod', role: 'moderator' }),
    );
    const asModerator = await svc.call('POST', '/api/v1/webhooks', {
      body: { url: 'http://127.0.0.1/' },
      headers: { authorization: `Bearer ${key.secret}` },
    });
    expect(asModerator.status).toBe(403);
  });

  it('deletes an endpoint', async () => {
    const { svc } = await start();
    const { webhook } = await json<{ webhook: { id: string } }>(
      await svc.admin('POST', '/api/v1/webhooks', { url: 'http://127.0.0.1/' }),
    );
    expect((await svc.admin('DELETE', `/api/v1/webhooks/${webhook.id}`)).status).toBe(204);
    expect((await svc.admin('GET', `/api/v1/webhooks/${webhook.id}`)).status).toBe(404);
    expect((await svc.admin('DELETE', `/api/v1/webhooks/${webhook.id}`)).status).toBe(404);
  });

  it('rotates the secret and shows until when the previous one signs', async () => {
    const { svc, clock } = await start();
    const created = await json<{ webhook: { id: string }; secret: string }>(
      await svc.admin('POST', '/api/v1/webhooks', { url: 'http://127.0.0.1/' }),
    );
    const res = await svc.admin('POST', `/api/v1/webhooks/${created.webhook.id}/rotate-secret`);
    expect(res.status).toBe(200);
    const rotated = await json<{ secret: string; previousSecretExpiresAt: string }>(res);
    const until = new Date(clock.now().getTime() + 86_400_000).toISOString();
    expect(rotated).toEqual({ secret: expect.stringMatching(/^whsec_/), previousSecretExpiresAt: until });
    expect(rotated.secret).not.toBe(created.secret);
    const after = await json<{ webhook: { previousSecretExpiresAt: string | null } }>(
      await svc.admin('GET', `/api/v1/webhooks/${created.webhook.id}`),
    );
    expect(after.webhook.previousSecretExpiresAt).toBe(until);
    clock.advance(86_400_001);
    const later = await json<{ webhook: { previousSecretExpiresAt: string | null } }>(
      await svc.admin('GET', `/api/v1/webhooks/${created.webhook.id}`),
    );
    expect(later.webhook.previousSecretExpiresAt).toBeNull();
  });

  it('answers 404 for the deliveries of an unknown endpoint and 422 for a malformed delivery id', async () => {
    const { svc } = await start();
    const unknown = await svc.admin('GET', '/api/v1/webhooks/01JDX00000000000000000000A/deliveries');
    expect(unknown.status).toBe(404);
    const { webhook } = await json<{ webhook: { id: string } }>(
      await svc.admin('POST', '/api/v1/webhooks', { url: 'http://127.0.0.1/' }),
    );
    const empty = await svc.admin('GET', `/api/v1/webhooks/${webhook.id}/deliveries`);
    expect(await json(empty)).toEqual({ deliveries: [], nextCursor: null });
    const bad = await svc.admin('POST', `/api/v1/webhooks/${webhook.id}/deliveries/nope/retry`);
    expect(bad.status).toBe(422);
    const badCursor = await svc.admin('GET', `/api/v1/webhooks/${webhook.id}/deliveries?cursor=zzz`);
    expect(badCursor.status).toBe(422);
  });

  it('pages through deliveries newest first', async () => {
    const { svc } = await start({ RATE_LIMIT_IP: 'off', RATE_LIMIT_AUTHOR: 'off' });
    const { webhook } = await json<{ webhook: { id: string } }>(
      await svc.admin('POST', '/api/v1/webhooks', {
        url: 'http://127.0.0.1/',
        events: ['comment.pending', 'comment.approved'],
      }),
    );
    const texts = ['Bình luận số một rất hay.', 'Bình luận số hai cũng hay.', 'Bình luận số ba thật tuyệt.'];
    for (const body of texts) {
      await svc.call('POST', '/api/v1/threads/t1/comments', { body: { body, authorName: 'Lan' } });
    }
    const first = await json<{ deliveries: { id: string }[]; nextCursor: string }>(
      await svc.admin('GET', `/api/v1/webhooks/${webhook.id}/deliveries?limit=2`),
    );
    expect(first.deliveries).toHaveLength(2);
    expect(first.nextCursor).toEqual(expect.any(String));
    const second = await json<{ deliveries: { id: string }[]; nextCursor: string | null }>(
      await svc.admin('GET', `/api/v1/webhooks/${webhook.id}/deliveries?limit=2&cursor=${first.nextCursor}`),
    );
    expect(second.deliveries).toHaveLength(1);
    expect(second.nextCursor).toBeNull();
    const ids = [...first.deliveries, ...second.deliveries].map((d) => d.id);
    expect(ids).toEqual([...ids].sort().reverse());
  });
});
