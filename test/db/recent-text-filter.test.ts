import { createHash } from 'node:crypto';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { RecentTextFilter } from '../../src/db/recent-text-filter.ts';

const HOUR = 3_600_000;
/** Fingerprints as the duplicate rule makes them: the first 128 bits of SHA-256, in hex. */
const hex = (n: number) => createHash('sha256').update(`comment ${n}`).digest('hex').slice(0, 32);
const fingerprint = fc.stringMatching(/^[0-9a-f]{32}$/);

describe('RecentTextFilter', () => {
  it('never says "no" for a fingerprint added within the last generation (property)', () => {
    fc.assert(
      fc.property(
        fc.array(fc.record({ fp: fingerprint, gap: fc.integer({ min: 0, max: 6 * HOUR }) }), {
          minLength: 1,
          maxLength: 300,
        }),
        (adds) => {
          const filter = new RecentTextFilter({ bits: 1 << 12, generationMs: 24 * HOUR });
          let now = 0;
          filter.start(now, now);
          const at: { fp: string; t: number }[] = [];
          for (const a of adds) {
            now += a.gap;
            filter.add(a.fp, now);
            at.push({ fp: a.fp, t: now });
          }
          for (const a of at) {
            if (now - a.t < 24 * HOUR) expect(filter.mightContain(a.fp)).toBe(true);
          }
          // Whatever it vouches for, it holds: covered instants have every later fingerprint.
          const since = now - 24 * HOUR;
          if (filter.covers(since, now)) {
            for (const a of at) if (a.t >= since) expect(filter.mightContain(a.fp)).toBe(true);
          }
        },
      ),
      { numRuns: 200 },
    );
  });

  it('answers "no" for nearly every fingerprint it was never given', () => {
    const filter = new RecentTextFilter({ generationMs: 24 * HOUR });
    filter.start(0, 0);
    for (let i = 0; i < 100_000; i++) filter.add(hex(i), 0);
    let falsePositives = 0;
    for (let i = 100_000; i < 200_000; i++) if (filter.mightContain(hex(i))) falsePositives++;
    // 3 probes into 2^23 bits at 100k entries: (1 − e^(−3·10^5/2^23))^3 ≈ 0.004 %, about 4 in 100k.
    expect(falsePositives).toBeLessThan(50);
  });

  it('vouches only from its start, and forgets a generation after two rotations', () => {
    const filter = new RecentTextFilter({ bits: 1 << 16, generationMs: 10 * HOUR });
    const a = 'a1b2c3d4e5f60718293a4b5c6d7e8f90';
    filter.add(a, 0);
    // Not started: it cannot say what the database holds.
    expect(filter.covers(0, 1)).toBe(false);
    filter.start(1, -5 * HOUR);
    expect(filter.covers(-5 * HOUR, 1)).toBe(true);
    expect(filter.covers(-6 * HOUR, 1)).toBe(false);
    expect(filter.mightContain(a)).toBe(true);
    // First rotation: `a` is in the previous generation, still answered.
    expect(filter.covers(-5 * HOUR, 11 * HOUR)).toBe(true);
    expect(filter.mightContain(a)).toBe(true);
    // Second rotation: the generation holding `a` is dropped; the filter vouches only from 11 h.
    expect(filter.covers(5 * HOUR, 22 * HOUR)).toBe(false);
    expect(filter.covers(11 * HOUR, 22 * HOUR)).toBe(true);
    expect(filter.mightContain(a)).toBe(false);
  });

  it('refuses a size that is not a power of two in range', () => {
    expect(() => new RecentTextFilter({ bits: 1000, generationMs: HOUR })).toThrow(/power of two/);
    expect(() => new RecentTextFilter({ bits: 1 << 25, generationMs: HOUR })).toThrow(/power of two/);
  });
});
