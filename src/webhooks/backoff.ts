/** Retry timing for webhook deliveries: the configured schedule, jitter and the receiver's Retry-After. */

/** ±10 %: spreads the retries of many deliveries that failed together (a receiver outage) over time. */
export const JITTER = 0.1;

/** A receiver may ask for a pause, but not one longer than a day: past that, the schedule decides. */
export const MAX_RETRY_AFTER_MS = 24 * 60 * 60 * 1000;

/**
 * Delay before the next attempt after `attemptsDone` attempts failed, or null when the schedule is
 * exhausted and the delivery gives up. `random` returns [0, 1); 0.5 gives the exact scheduled delay.
 */
export function retryDelay(
  schedule: readonly number[],
  attemptsDone: number,
  random: () => number,
  retryAfterMs: number | null = null,
): number | null {
  const base = schedule[attemptsDone - 1];
  if (base === undefined) return null;
  const jittered = Math.round(base * (1 - JITTER + 2 * JITTER * random()));
  if (retryAfterMs === null) return jittered;
  return Math.max(jittered, Math.min(retryAfterMs, MAX_RETRY_AFTER_MS));
}

/**
 * `Retry-After` as milliseconds from `now`: delta seconds (`120`) or an HTTP date. Null when absent
 * or unreadable; a date in the past is 0.
 */
export function parseRetryAfter(value: string | null | undefined, now: Date): number | null {
  if (!value) return null;
  const text = value.trim();
  if (/^\d+$/.test(text)) return Number(text) * 1000;
  // An HTTP date always names its day and month; without letters, Date.parse would read `-5` as a year.
  if (!/[A-Za-z]/.test(text)) return null;
  const at = Date.parse(text);
  if (Number.isNaN(at)) return null;
  return Math.max(0, at - now.getTime());
}
