import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ManualClock, startTestService, type TestService } from '../helpers/service.ts';

/** Ban expiry by the injected clock; SQLite only (the Worker backend has no clock control). */

const OFF = { RATE_LIMIT_IP: 'off', RATE_LIMIT_AUTHOR: 'off', RATE_LIMIT_THREAD: 'off', RATE_LIMIT_GLOBAL: 'off' };

let s: TestService;
const clock = new ManualClock(Date.parse('2026-11-26T08:00:00.000Z'));
beforeAll(async () => {
  s = await startTestService(OFF, { clock });
});
afterAll(async () => {
  await s.cleanup();
});

let n = 0;
function post(lang = 'vi') {
  n++;
  return s.call('POST', `/api/v1/threads/expiry/comments?lang=${lang}`, {
    body: { body: `Bình luận thứ ${n} sau lệnh cấm`, authorName: 'Người bị cấm', authorEmail: 'tam.khoa@example.com' },
    ip: '192.0.2.44',
  });
}

interface BanJson {
  id: string;
  until: string | null;
  active: boolean;
}

describe('ban expiry', () => {
  it('refuses until the end of the ban, names it, then lets the author post again', async () => {
    const res = await s.admin('POST', '/api/v1/moderation/bans', {
      email: 'tam.khoa@example.com',
      until: '2026-11-27T08:00:00+00:00',
      reason: 'Một ngày',
    });
    expect(res.status).toBe(201);
    const { ban } = (await res.json()) as { ban: BanJson };
    expect(ban).toMatchObject({ until: '2026-11-27T08:00:00.000Z', active: true });

    const vi = await post();
    expect(vi.status).toBe(403);
    expect(((await vi.json()) as { error: { message: string } }).error.message).toBe(
      'Bạn tạm thời không thể bình luận đến 08:00 UTC ngày 27/11/2026',
    );
    clock.set('2026-11-27T07:59:59.999Z');
    const en = await post('en');
    expect(en.status).toBe(403);
    expect(((await en.json()) as { error: { message: string } }).error.message).toBe(
      'You cannot comment at the moment until 27 November 2026, 08:00 UTC',
    );

    clock.set('2026-11-27T08:00:00.000Z');
    expect((await post()).status).toBe(201);
    const active = (await (await s.admin('GET', '/api/v1/moderation/bans')).json()) as { bans: BanJson[] };
    expect(active.bans).toEqual([]);
    const all = (await (await s.admin('GET', '/api/v1/moderation/bans?all=true')).json()) as { bans: BanJson[] };
    expect(all.bans).toMatchObject([{ id: ban.id, active: false }]);
  });

  it('refuses an end that is not in the future of the injected clock', async () => {
    clock.set('2026-12-01T00:00:00.000Z');
    const res = await s.admin('POST', '/api/v1/moderation/bans', {
      email: 'x@example.com',
      until: '2026-11-30T23:59:59Z',
      reason: 'Trễ',
    });
    expect(res.status).toBe(422);
    expect(((await res.json()) as { error: { details: unknown } }).error.details).toEqual({
      field: 'until',
      problem: 'must be in the future',
    });
  });

  it('keeps the longest of several bans: one without end wins over one that expires', async () => {
    clock.set('2026-12-02T00:00:00.000Z');
    await s.admin('POST', '/api/v1/moderation/bans', {
      email: 'tam.khoa@example.com',
      until: '2026-12-03T00:00:00Z',
      reason: 'Ngắn',
    });
    await s.admin('POST', '/api/v1/moderation/bans', { email: 'tam.khoa@example.com', until: null, reason: 'Mãi mãi' });
    clock.set('2026-12-04T00:00:00.000Z');
    const res = await post();
    expect(res.status).toBe(403);
    expect(((await res.json()) as { error: { message: string; details: unknown } }).error).toMatchObject({
      message: 'Bạn tạm thời không thể bình luận',
      details: { until: null },
    });
  });
});
