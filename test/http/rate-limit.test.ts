import { afterEach, describe, expect, it, vi } from 'vitest';
import { createProxyTrust, resolveClientIp } from '../../src/http/client-ip.ts';
import { startTestService, type TestService } from '../helpers/service.ts';

const OFF = { RATE_LIMIT_IP: 'off', RATE_LIMIT_AUTHOR: 'off', RATE_LIMIT_THREAD: 'off', RATE_LIMIT_GLOBAL: 'off' };

const services: TestService[] = [];
async function service(env: Record<string, string>, dir?: string) {
  const s = await startTestService({ ...OFF, ...env }, dir ? { dir } : {});
  services.push(s);
  return s;
}
afterEach(async () => {
  vi.useRealTimers();
  while (services.length) await services.pop()?.cleanup();
});

let n = 0;
function post(
  s: TestService,
  opts: { ip?: string; xff?: string; author?: string; thread?: string; lang?: string } = {},
) {
  n++;
  return s.call('POST', `/api/v1/threads/${opts.thread ?? 'rl'}/comments${opts.lang ? `?lang=${opts.lang}` : ''}`, {
    body: { body: `Bình luận thử nghiệm số ${n}`, authorName: opts.author ?? `Người đọc ${n}` },
    ip: opts.ip ?? '198.51.100.1',
    ...(opts.xff ? { headers: { 'x-forwarded-for': opts.xff } } : {}),
  });
}

async function storedCount(s: TestService): Promise<number> {
  const row = await s.deps.store.db
    .selectFrom('comments')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .executeTakeFirst();
  return Number(row?.n);
}

describe('rate limits', () => {
  it('answers 429 with Retry-After and RateLimit headers once the per-IP limit is spent, storing nothing', async () => {
    vi.useFakeTimers({ now: new Date('2026-11-26T08:00:00Z'), toFake: ['Date'] });
    const s = await service({ RATE_LIMIT_IP: '2/1m,10/1h' });
    expect((await post(s)).status).toBe(201);
    vi.setSystemTime(new Date('2026-11-26T08:00:20.300Z'));
    expect((await post(s)).status).toBe(201);
    const before = await storedCount(s);
    const res = await post(s);
    expect(res.status).toBe(429);
    expect(res.headers.get('retry-after')).toBe('40');
    expect(res.headers.get('ratelimit-policy')).toBe('"ip-1m";q=2;w=60, "ip-1h";q=10;w=3600');
    expect(res.headers.get('ratelimit')).toContain('"ip-1m";r=0;t=40');
    const body = (await res.json()) as { error: { code: string; message: string } };
    expect(body.error).toMatchObject({
      code: 'RATE_LIMITED',
      message: 'Bạn gửi quá nhanh, vui lòng thử lại sau 40 giây',
    });
    expect(await storedCount(s)).toBe(before);
    // Another client is not affected.
    expect((await post(s, { ip: '198.51.100.2' })).status).toBe(201);
    // The window passes: the first client may post again.
    vi.setSystemTime(new Date('2026-11-26T08:01:00.500Z'));
    expect((await post(s)).status).toBe(201);
  });

  it('speaks English on request', async () => {
    const s = await service({ RATE_LIMIT_IP: '1/1m' });
    await post(s);
    const res = await post(s, { lang: 'en' });
    const body = (await res.json()) as { error: { message: string } };
    expect(body.error.message).toMatch(/^You are posting too fast; please try again in \d+ seconds$/);
  });

  it('ignores X-Forwarded-For from an untrusted peer', async () => {
    const s = await service({ RATE_LIMIT_IP: '1/1m' });
    expect((await post(s, { ip: '198.51.100.7', xff: '1.1.1.1' })).status).toBe(201);
    expect((await post(s, { ip: '198.51.100.7', xff: '2.2.2.2' })).status).toBe(429);
  });

  it('believes X-Forwarded-For from a trusted proxy, read from the right', async () => {
    const s = await service({ RATE_LIMIT_IP: '1/1m', TRUST_PROXY: 'loopback' });
    expect((await post(s, { ip: '127.0.0.1', xff: '203.0.113.10' })).status).toBe(201);
    expect((await post(s, { ip: '127.0.0.1', xff: '203.0.113.11' })).status).toBe(201);
    // A client that prepends a fake address is still itself.
    expect((await post(s, { ip: '127.0.0.1', xff: '9.9.9.9, 203.0.113.10' })).status).toBe(429);
  });

  it('limits an author across addresses', async () => {
    const s = await service({ RATE_LIMIT_AUTHOR: '2/1m' });
    expect((await post(s, { author: 'Cùng Tên', ip: '198.51.100.21' })).status).toBe(201);
    expect((await post(s, { author: 'cùng tên', ip: '198.51.100.22' })).status).toBe(201);
    expect((await post(s, { author: 'Cùng Tên', ip: '198.51.100.23' })).status).toBe(429);
  });

  it('limits a thread and the whole site', async () => {
    const s = await service({ RATE_LIMIT_THREAD: '2/1m', RATE_LIMIT_GLOBAL: '3/1m' });
    expect((await post(s, { thread: 'a', ip: '198.51.100.31' })).status).toBe(201);
    expect((await post(s, { thread: 'a', ip: '198.51.100.32' })).status).toBe(201);
    expect((await post(s, { thread: 'a', ip: '198.51.100.33' })).status).toBe(429);
    expect((await post(s, { thread: 'b', ip: '198.51.100.34' })).status).toBe(201);
    expect((await post(s, { thread: 'c', ip: '198.51.100.35' })).status).toBe(429);
  });

  it('does not count a comment refused as too short', async () => {
    const s = await service({ RATE_LIMIT_IP: '1/1m' });
    const short = await s.call('POST', '/api/v1/threads/t/comments', {
      body: { body: 'abc', authorName: 'A' },
      ip: '198.51.100.41',
    });
    expect(short.status).toBe(422);
    expect((await post(s, { ip: '198.51.100.41' })).status).toBe(201);
  });

  it('keeps limits in the SQLite store across a restart, keyed by hashed IP only', async () => {
    const first = await service({ RATE_LIMIT_IP: '1/1h', RATE_LIMIT_STORE: 'sqlite' });
    expect((await post(first, { ip: '198.51.100.51' })).status).toBe(201);
    const dir = first.dir;
    await first.close();
    services.splice(services.indexOf(first), 1);
    const second = await service({ RATE_LIMIT_IP: '1/1h', RATE_LIMIT_STORE: 'sqlite' }, dir);
    expect((await post(second, { ip: '198.51.100.51' })).status).toBe(429);
    const sqlite = (second.deps.store.handle as unknown as { sqlite: { prepare(sql: string): { all(): unknown[] } } })
      .sqlite;
    const dump = JSON.stringify(sqlite.prepare('select * from rate_limits').all());
    expect(dump).not.toContain('198.51.100.51');
    expect(dump.length).toBeGreaterThan(10);
  });
});

describe('duplicates', () => {
  it('refuses the same text from the same client within the window', async () => {
    const s = await service({});
    const body = { body: 'Mình đồng ý với ý kiến này', authorName: 'Lan' };
    expect((await s.call('POST', '/api/v1/threads/d/comments', { body, ip: '198.51.100.61' })).status).toBe(201);
    const again = await s.call('POST', '/api/v1/threads/d/comments', {
      body: { ...body, body: 'Mình đồng ý   với ý kiến này!!' },
      ip: '198.51.100.61',
    });
    expect(again.status).toBe(422);
    expect(((await again.json()) as { error: { code: string; message: string } }).error).toMatchObject({
      code: 'DUPLICATE_COMMENT',
      message: 'Bạn đã gửi bình luận này rồi',
    });
    // The same words from someone else are fine.
    const other = await s.call('POST', '/api/v1/threads/d/comments', {
      body: { ...body, authorName: 'Hoa' },
      ip: '198.51.100.62',
    });
    expect(other.status).toBe(201);
  });

  it('still refuses a repeat after a restart: the fingerprints of the last days are loaded at start', async () => {
    const first = await service({});
    const body = { body: 'Bài viết phản ánh đúng tình hình giao thông ở tỉnh', authorName: 'Lan' };
    expect((await first.call('POST', '/api/v1/threads/r/comments', { body, ip: '198.51.100.65' })).status).toBe(201);
    const dir = first.dir;
    await first.close();
    services.splice(services.indexOf(first), 1);
    const second = await service({}, dir);
    // Loaded (again) and awaited here, so the answer below comes from the filled filter.
    expect(await second.deps.store.loadRecentText()).toBe(1);
    const again = await second.call('POST', '/api/v1/threads/r/comments', { body, ip: '198.51.100.65' });
    expect(again.status).toBe(422);
    const other = { ...body, body: 'Một bình luận khác hẳn, chưa ai viết' };
    expect((await second.call('POST', '/api/v1/threads/r/comments', { body: other, ip: '198.51.100.65' })).status).toBe(
      201,
    );
  });

  it('holds the same text across many threads as spam', async () => {
    const s = await service({});
    const text = 'Tham khảo bài viết hay tại trang của mình nhé';
    const statuses: number[] = [];
    for (let i = 0; i < 3; i++) {
      const res = await s.call('POST', `/api/v1/threads/thread-${i}/comments`, {
        body: { body: text, authorName: `Khách ${i}` },
        ip: `198.51.100.${70 + i}`,
      });
      statuses.push(res.status);
      if (i === 2) {
        const { comment } = (await res.json()) as { comment: { id: string; status: string } };
        expect(comment.status).toBe('pending');
        const stored = await s.deps.store.getComment(comment.id);
        expect(stored?.status).toBe('spam');
        expect(stored?.reasons.map((r) => r.code)).toContain('DUPLICATE_ACROSS_THREADS');
      }
    }
    expect(statuses).toEqual([201, 201, 202]);
  });
});

describe('resolveClientIp', () => {
  const trust = createProxyTrust(['10.0.0.0/8', '192.168.1.1']);
  it('uses the socket address without a trusted proxy', () => {
    expect(resolveClientIp('203.0.113.1', '1.2.3.4', trust)).toBe('203.0.113.1');
    expect(resolveClientIp('203.0.113.1', null, createProxyTrust(null))).toBe('203.0.113.1');
  });
  it('skips trusted hops from the right', () => {
    expect(resolveClientIp('10.1.1.1', '1.2.3.4, 198.51.100.9, 192.168.1.1', trust)).toBe('198.51.100.9');
    expect(resolveClientIp('::ffff:10.1.1.1', '198.51.100.9', trust)).toBe('198.51.100.9');
  });
  it('stops at garbage in the header', () => {
    expect(resolveClientIp('10.1.1.1', 'not-an-ip', trust)).toBe('10.1.1.1');
    expect(resolveClientIp('10.1.1.1', '198.51.100.9, junk', trust)).toBe('10.1.1.1');
  });
});
