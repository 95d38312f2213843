import fc from 'fast-check';
import { RateLimiterMemory, RateLimiterRes } from 'rate-limiter-flexible';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { SweptRateLimiterMemory } from '../../src/ratelimit/memory.ts';

beforeEach(() => {
  vi.useFakeTimers({ now: Date.parse('2026-11-26T08:00:00Z') });
});
afterEach(() => {
  vi.useRealTimers();
});

type Outcome = { ok: boolean; consumed: number; remaining: number; msBeforeNext: number };

async function consume(limiter: RateLimiterMemory, key: string, points = 1): Promise<Outcome> {
  try {
    const r = await limiter.consume(key, points);
    return { ok: true, consumed: r.consumedPoints, remaining: r.remainingPoints, msBeforeNext: r.msBeforeNext };
  } catch (err) {
    if (!(err instanceof RateLimiterRes)) throw err;
    return { ok: false, consumed: err.consumedPoints, remaining: err.remainingPoints, msBeforeNext: err.msBeforeNext };
  }
}

describe('SweptRateLimiterMemory', () => {
  it('limits per key within the window and starts a new window after it', async () => {
    const limiter = new SweptRateLimiterMemory({ points: 3, duration: 60 });
    const results = [];
    for (let i = 0; i < 4; i++) results.push(await consume(limiter, 'ip-a'));
    expect(results.map((r) => [r.ok, r.remaining])).toEqual([
      [true, 2],
      [true, 1],
      [true, 0],
      [false, 0],
    ]);
    expect(results[3]?.msBeforeNext).toBe(60_000);
    expect((await consume(limiter, 'ip-b')).ok).toBe(true);
    vi.advanceTimersByTime(59_999);
    expect((await consume(limiter, 'ip-a')).ok).toBe(false);
    vi.advanceTimersByTime(1);
    expect(await consume(limiter, 'ip-a')).toMatchObject({ ok: true, consumed: 1, remaining: 2, msBeforeNext: 60_000 });
  });

  it('keeps only the keys of live windows, without a timer per key', async () => {
    const limiter = new SweptRateLimiterMemory({ points: 5, duration: 60 });
    for (let i = 0; i < 10_000; i++) await consume(limiter, `reader-${i}`);
    expect(limiter.storage.size).toBe(10_000);
    expect(vi.getTimerCount()).toBe(0);
    vi.advanceTimersByTime(60_000);
    // Each call sweeps a few expired keys from the front: 2,000 calls clear the 10,000 old ones.
    for (let i = 0; i < 2_000; i++) await consume(limiter, `later-${i}`);
    expect(limiter.storage.size).toBe(2_000);
    expect(limiter.storage.get('reader-0')).toBeNull();
  });

  it('answers exactly as the stock RateLimiterMemory for any sequence of consumes and waits (property)', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(
          fc.oneof(
            fc.record({ key: fc.constantFrom('a', 'b', 'c', 'd'), points: fc.integer({ min: 1, max: 3 }) }),
            fc.record({ wait: fc.integer({ min: 0, max: 40_000 }) }),
          ),
          { maxLength: 60 },
        ),
        async (steps) => {
          const options = { points: 4, duration: 30 };
          const stock = new RateLimiterMemory(options);
          const swept = new SweptRateLimiterMemory(options);
          for (const step of steps) {
            if ('wait' in step) {
              vi.advanceTimersByTime(step.wait);
              continue;
            }
            const [a, b] = [await consume(stock, step.key, step.points), await consume(swept, step.key, step.points)];
            expect(b).toEqual(a);
          }
        },
      ),
      { numRuns: 100 },
    );
  });
});
