import { describe, expect, it } from 'vitest';
import { MAX_RETRY_AFTER_MS, parseRetryAfter, retryDelay } from '../../src/webhooks/backoff.ts';

const SCHEDULE = [5_000, 300_000, 1_800_000];
const NOW = new Date('2026-11-26T08:00:00.000Z');

describe('retryDelay', () => {
  it('follows the schedule by the number of attempts done', () => {
    expect(retryDelay(SCHEDULE, 1, () => 0.5)).toBe(5_000);
    expect(retryDelay(SCHEDULE, 2, () => 0.5)).toBe(300_000);
    expect(retryDelay(SCHEDULE, 3, () => 0.5)).toBe(1_800_000);
  });

  it('gives up when the schedule is exhausted', () => {
    expect(retryDelay(SCHEDULE, 4, () => 0.5)).toBeNull();
    expect(retryDelay([], 1, () => 0.5)).toBeNull();
  });

  it('jitters by at most 10 % either way', () => {
    expect(retryDelay(SCHEDULE, 2, () => 0)).toBe(270_000);
    expect(retryDelay(SCHEDULE, 2, () => 0.999_999_9)).toBe(330_000);
  });

  it('waits for Retry-After when it is longer than the schedule', () => {
    expect(retryDelay(SCHEDULE, 1, () => 0.5, 60_000)).toBe(60_000);
    expect(retryDelay(SCHEDULE, 1, () => 0.5, 1_000)).toBe(5_000);
  });

  it('caps Retry-After at a day', () => {
    expect(retryDelay(SCHEDULE, 1, () => 0.5, 10 * MAX_RETRY_AFTER_MS)).toBe(MAX_RETRY_AFTER_MS);
  });

  it('does not let Retry-After revive an exhausted schedule', () => {
    expect(retryDelay(SCHEDULE, 4, () => 0.5, 60_000)).toBeNull();
  });
});

describe('parseRetryAfter', () => {
  it('reads delta seconds', () => {
    expect(parseRetryAfter('120', NOW)).toBe(120_000);
    expect(parseRetryAfter(' 0 ', NOW)).toBe(0);
  });

  it('reads an HTTP date relative to now', () => {
    expect(parseRetryAfter('Thu, 26 Nov 2026 08:10:00 GMT', NOW)).toBe(600_000);
    expect(parseRetryAfter('Thu, 26 Nov 2026 07:00:00 GMT', NOW)).toBe(0);
  });

  it('ignores absent or unreadable values', () => {
    expect(parseRetryAfter(null, NOW)).toBeNull();
    expect(parseRetryAfter('', NOW)).toBeNull();
    expect(parseRetryAfter('soon', NOW)).toBeNull();
    expect(parseRetryAfter('-5', NOW)).toBeNull();
  });
});
