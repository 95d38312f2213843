import type { Store } from '../db/store.ts';

/** A serialised first page of a thread, as answered. */
export interface CachedPage {
  body: string;
  etag: string;
  /** `store.threadChanges.now` when the page was read: stale once its thread changed after it. */
  readAt: number;
  expiresAt: number;
  bytes: number;
}

/**
 * Entries and bytes kept at most (oldest dropped first). 32 MiB holds ~1,600 full 20-comment pages,
 * far more than a news site's live threads, and keeps the process within its memory budget (the
 * benchmark's 250 MB at 1,000,000 comments) whatever readers browse.
 */
const MAX_ENTRIES = 20_000;
const MAX_BYTES = 32 * 1024 * 1024;
/**
 * Safety net only: on a single Node + SQLite instance every write goes through this process and
 * invalidates at once; the TTL bounds staleness if something else writes the file (a manual fix).
 */
const TTL_MS = 60_000;

/**
 * First pages of threads per (thread, order, limit), invalidated by the store's record of committed
 * changes. Used only when the store says pages are cacheable (single instance on SQLite).
 */
export class ThreadPageCache {
  private readonly pages = new Map<string, CachedPage>();
  private bytes = 0;

  constructor(private readonly store: Store) {}

  static key(threadId: string, order: string, limit: number): string {
    return `${threadId}\n${order}\n${limit}`;
  }

  get(threadId: string, key: string, nowMs: number): CachedPage | null {
    const page = this.pages.get(key);
    if (!page) return null;
    if (page.expiresAt <= nowMs || this.store.threadChanges.changedSince(threadId, page.readAt)) {
      this.drop(key, page);
      return null;
    }
    return page;
  }

  /** Keeps a page read at `readAt` unless its thread changed while it was being read. */
  set(threadId: string, key: string, body: string, etag: string, readAt: number, nowMs: number): void {
    if (this.store.threadChanges.changedSince(threadId, readAt)) return;
    const old = this.pages.get(key);
    if (old) this.drop(key, old);
    const page: CachedPage = { body, etag, readAt, expiresAt: nowMs + TTL_MS, bytes: body.length * 2 };
    this.pages.set(key, page);
    this.bytes += page.bytes;
    while (this.pages.size > MAX_ENTRIES || this.bytes > MAX_BYTES) {
      const oldest = this.pages.entries().next().value;
      if (!oldest) break;
      this.drop(oldest[0], oldest[1]);
    }
  }

  private drop(key: string, page: CachedPage): void {
    this.pages.delete(key);
    this.bytes -= page.bytes;
  }
}

const caches = new WeakMap<Store, ThreadPageCache>();

/** The page cache of a store, or null where pages must not be cached. */
export function threadPageCache(store: Store): ThreadPageCache | null {
  if (!store.pageCacheable) return null;
  let cache = caches.get(store);
  if (!cache) {
    cache = new ThreadPageCache(store);
    caches.set(store, cache);
  }
  return cache;
}

/**
 * A weak ETag from the answer's bytes (FNV-1a, 52 bits, and the length): identical pages get the same
 * tag in every process and after restarts, any change to the page changes it.
 */
export function weakEtag(body: string): string {
  let h1 = 0x811c9dc5;
  let h2 = 0x01000193;
  for (let i = 0; i < body.length; i++) {
    const c = body.charCodeAt(i);
    h1 = Math.imul(h1 ^ c, 0x01000193);
    h2 = Math.imul(h2 ^ c, 0x5bd1e995);
  }
  return `W/"${(h1 >>> 0).toString(36)}${(h2 >>> 12).toString(36)}-${body.length.toString(36)}"`;
}

/** Whether an `If-None-Match` header names `etag` (weak comparison, as RFC 9110 asks for GET). */
export function matchesEtag(header: string | undefined, etag: string): boolean {
  if (!header) return false;
  if (header.trim() === '*') return true;
  const bare = etag.replace(/^W\//, '');
  return header.split(',').some((t) => t.trim().replace(/^W\//, '') === bare);
}
