import { type IRateLimiterOptions, RateLimiterMemory, RateLimiterRes } from 'rate-limiter-flexible';

interface Entry {
  value: number;
  /** Epoch ms, or null for a key that never expires. */
  expiresAt: number | null;
}

/** Entries looked at per sweep, so no call ever does more than a bounded amount of cleanup. */
const SWEEP_BUDGET = 8;

/**
 * rate-limiter-flexible's `MemoryStorage` contract (incrby/set/get/delete answering RateLimiterRes)
 * without its timer per key. Under a burst of distinct readers the stock storage holds one Timeout
 * per client, author and window for up to an hour: hundreds of MB and a timer-list insert per key.
 *
 * Here each key is re-inserted when its window starts, so the Map's insertion order is the order of
 * window starts; one limiter has one duration, so that is also expiry order. Every call removes the
 * expired keys at the front (a few at a time), which keeps memory to the keys of live windows.
 * Expired keys are never answered, whether swept yet or not.
 */
export class SweptMemoryStorage {
  private readonly entries = new Map<string, Entry>();

  get size(): number {
    return this.entries.size;
  }

  incrby(key: string, value: number, durationSec: number): RateLimiterRes {
    const now = Date.now();
    this.sweep(now);
    const entry = this.entries.get(key);
    if (entry && (entry.expiresAt === null || entry.expiresAt > now)) {
      entry.value += value;
      return new RateLimiterRes(0, entry.expiresAt === null ? -1 : entry.expiresAt - now, entry.value, false);
    }
    return this.set(key, value, durationSec, now);
  }

  set(key: string, value: number, durationSec: number, now = Date.now()): RateLimiterRes {
    const durationMs = durationSec * 1000;
    // Deleted first so that the key moves to the end of the insertion order (its new window start).
    this.entries.delete(key);
    this.entries.set(key, { value, expiresAt: durationMs > 0 ? now + durationMs : null });
    return new RateLimiterRes(0, durationMs > 0 ? durationMs : -1, value, true);
  }

  get(key: string): RateLimiterRes | null {
    const entry = this.entries.get(key);
    if (!entry) return null;
    const now = Date.now();
    if (entry.expiresAt !== null && entry.expiresAt <= now) {
      this.entries.delete(key);
      return null;
    }
    return new RateLimiterRes(0, entry.expiresAt === null ? -1 : entry.expiresAt - now, entry.value, false);
  }

  delete(key: string): boolean {
    return this.entries.delete(key);
  }

  private sweep(now: number): void {
    let budget = SWEEP_BUDGET;
    for (const [key, entry] of this.entries) {
      if (budget-- === 0) return;
      // A permanent key (never the case for Duyệt's windows) is passed over, not waited on.
      if (entry.expiresAt === null) continue;
      if (entry.expiresAt > now) return;
      this.entries.delete(key);
    }
  }
}

/**
 * rate-limiter-flexible's `RateLimiterMemory` (its consume, penalty, reward, block and blockDuration
 * logic unchanged) on {@link SweptMemoryStorage}. Pinned to the 11.x storage contract; the tests run
 * the limiter itself.
 */
export class SweptRateLimiterMemory extends RateLimiterMemory {
  readonly storage: SweptMemoryStorage;

  constructor(opts: IRateLimiterOptions) {
    super(opts);
    this.storage = new SweptMemoryStorage();
    (this as unknown as { _memoryStorage: SweptMemoryStorage })._memoryStorage = this.storage;
  }
}
