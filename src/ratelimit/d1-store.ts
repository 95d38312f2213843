import { type IRateLimiterStoreOptions, RateLimiterRes } from 'rate-limiter-flexible';
import RateLimiterStoreAbstract from 'rate-limiter-flexible/lib/RateLimiterStoreAbstract.js';
import type { D1Like } from '../db/d1.ts';

interface Row {
  points: number;
  expire: number | null;
}

/**
 * A rate-limiter-flexible store on D1, so limits hold across Worker isolates. Each consume is one
 * upsert statement (atomic in D1), in the `rate_limit_counters` table created by the migrations.
 */
export class RateLimiterD1 extends RateLimiterStoreAbstract {
  private readonly d1: D1Like;

  constructor(opts: Omit<IRateLimiterStoreOptions, 'storeClient'> & { storeClient: D1Like }) {
    super(opts);
    this.d1 = opts.storeClient;
  }

  _getRateLimiterRes(_rlKey: string, changedPoints: number, result: Row): RateLimiterRes {
    const first = changedPoints === Number(result.points);
    const consumed = first ? changedPoints : Number(result.points);
    return new RateLimiterRes(
      Math.max(this.points - consumed, 0),
      result.expire ? Math.max(Number(result.expire) - Date.now(), 0) : -1,
      consumed,
      first,
    );
  }

  async _upsert(rlKey: string, points: number, msDuration: number, forceExpire = false): Promise<Row | null> {
    const now = Date.now();
    const expire = msDuration > 0 ? now + msDuration : null;
    if (forceExpire) {
      return this.d1
        .prepare(
          'insert or replace into rate_limit_counters (key, points, expire) values (?, ?, ?) returning points, expire',
        )
        .bind(rlKey, points, expire)
        .first<Row>();
    }
    return this.d1
      .prepare(
        `insert into rate_limit_counters (key, points, expire) values (?, ?, ?)
         on conflict(key) do update set
           points = case when expire is null or expire > ? then points + excluded.points else excluded.points end,
           expire = case when expire is null or expire > ? then expire else excluded.expire end
         returning points, expire`,
      )
      .bind(rlKey, points, expire, now, now)
      .first<Row>();
  }

  async _get(rlKey: string): Promise<Row | null> {
    return this.d1
      .prepare('select points, expire from rate_limit_counters where key = ? and (expire is null or expire > ?)')
      .bind(rlKey, Date.now())
      .first<Row>();
  }

  async _delete(rlKey: string): Promise<boolean> {
    const res = await this.d1.prepare('delete from rate_limit_counters where key = ?').bind(rlKey).run();
    return (res.meta.changes ?? 0) > 0;
  }
}
