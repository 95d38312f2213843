import type { PublicComment } from '../core/types.ts';

/** How long a held comment is shown to its writer; a rejected one would otherwise linger forever. */
const KEEP_MS = 7 * 86_400_000;
const MAX_ENTRIES = 20;

interface Entry {
  comment: PublicComment;
  savedAt: number;
}

/**
 * The writer's own held comments, per deployment and thread, kept in localStorage so "only you can
 * see this" survives a reload. Storage can be missing or throw (private mode, sandboxed frames):
 * then the note lasts only for the page view.
 */
export class PendingStore {
  private readonly key: string;

  constructor(base: string, threadId: string) {
    this.key = `duyet:pending:${base}|${threadId}`;
  }

  all(now = Date.now()): PublicComment[] {
    return this.read()
      .filter((e) => now - e.savedAt < KEEP_MS)
      .map((e) => e.comment);
  }

  add(comment: PublicComment, now = Date.now()): void {
    const entries = this.read().filter((e) => e.comment.id !== comment.id && now - e.savedAt < KEEP_MS);
    entries.push({ comment, savedAt: now });
    this.write(entries.slice(-MAX_ENTRIES));
  }

  remove(id: string): void {
    const entries = this.read();
    const kept = entries.filter((e) => e.comment.id !== id);
    if (kept.length !== entries.length) this.write(kept);
  }

  private read(): Entry[] {
    try {
      const value: unknown = JSON.parse(localStorage.getItem(this.key) ?? '[]');
      return Array.isArray(value)
        ? value.filter((e): e is Entry => typeof e?.comment?.id === 'string' && typeof e.savedAt === 'number')
        : [];
    } catch {
      return [];
    }
  }

  private write(entries: Entry[]): void {
    try {
      if (entries.length) localStorage.setItem(this.key, JSON.stringify(entries));
      else localStorage.removeItem(this.key);
    } catch {
      // Storage full or unavailable: the note simply will not survive a reload.
    }
  }
}

/** The display name is remembered so a regular reader types it once. Never the email. */
export const rememberedName = {
  get(): string {
    try {
      return localStorage.getItem('duyet:name') ?? '';
    } catch {
      return '';
    }
  },
  set(name: string): void {
    try {
      localStorage.setItem('duyet:name', name);
    } catch {
      // Not remembered; harmless.
    }
  },
};
