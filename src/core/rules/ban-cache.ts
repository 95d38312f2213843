import type { Clock } from '../types.ts';
import type { BanLookup } from './ban.ts';

/** What the ban gate needs of an active ban. */
export interface ActiveBan {
  email: string | null;
  ipHash: string | null;
  until: string | null;
}

/**
 * Bans are few and change rarely, but every post asks about them: keep the active ones in memory.
 * This process's own changes invalidate at once; other instances' changes are seen within `ttlMs`.
 */
export class BanCache implements BanLookup {
  private bans: ActiveBan[] = [];
  private loadedAt = Number.NEGATIVE_INFINITY;
  private loading: Promise<void> | null = null;

  constructor(
    private readonly load: (nowIso: string) => Promise<ActiveBan[]>,
    private readonly clock: Clock,
    private readonly ttlMs = 5000,
  ) {}

  invalidate(): void {
    this.loadedAt = Number.NEGATIVE_INFINITY;
  }

  private async refresh(): Promise<void> {
    const now = this.clock.now();
    if (now.getTime() - this.loadedAt < this.ttlMs) return;
    if (!this.loading) {
      const started = now.getTime();
      this.loading = this.load(now.toISOString())
        .then((bans) => {
          this.bans = bans;
          this.loadedAt = started;
        })
        .finally(() => {
          this.loading = null;
        });
    }
    await this.loading;
  }

  async activeBan(q: {
    email: string | null;
    ipHash: string | null;
    now: string;
  }): Promise<{ until: string | null } | null> {
    if (!q.email && !q.ipHash) return null;
    await this.refresh();
    let best: ActiveBan | null = null;
    for (const ban of this.bans) {
      if (ban.until !== null && ban.until <= q.now) continue;
      const matches = (q.email !== null && ban.email === q.email) || (q.ipHash !== null && ban.ipHash === q.ipHash);
      if (!matches) continue;
      // The longest ban wins: one without an end before any with one.
      if (!best || ban.until === null || (best.until !== null && ban.until > best.until)) best = ban;
      if (best.until === null) break;
    }
    return best ? { until: best.until } : null;
  }
}
