import { DomainError } from '../errors.ts';
import { ALLOW, type Rule } from '../rule.ts';

export interface SameTextLookup {
  findSameText(
    textHash: string,
    sinceIso: string,
  ): Promise<{ threadId: string; ipHash: string | null; authorKey: string; createdAt: string }[]>;
}

export interface DuplicateOptions {
  /** The same text from the same client or author within this window is refused. */
  windowSeconds: number;
  /** The same text in this many distinct threads within a day is spam. */
  threadThreshold: number;
}

const DAY_MS = 86_400_000;

/**
 * Readers double-submit and spammers paste the same text everywhere. A repeat from the same client or
 * author is refused politely (nothing stored); the same text across many threads, from anyone, is spam.
 */
export function duplicateRule(lookup: SameTextLookup, options: DuplicateOptions): Rule {
  return {
    name: 'duplicate',
    stateful: true,
    async check({ draft, now }) {
      if (!draft.textHash) return ALLOW;
      const windowMs = Math.max(options.windowSeconds * 1000, DAY_MS);
      const rows = await lookup.findSameText(draft.textHash, new Date(now.getTime() - windowMs).toISOString());
      if (rows.length === 0) return ALLOW;
      const recentSince = new Date(now.getTime() - options.windowSeconds * 1000).toISOString();
      const recent = rows.filter((r) => r.createdAt >= recentSince);
      const sameWriter = recent.some(
        (r) =>
          (draft.clientKey !== null && r.ipHash === draft.clientKey) ||
          (draft.authorKey !== undefined && r.authorKey === draft.authorKey),
      );
      if (sameWriter) return { action: 'refuse', error: new DomainError('DUPLICATE_COMMENT') };
      const threads = new Set(rows.map((r) => r.threadId));
      threads.add(draft.threadId);
      if (threads.size >= options.threadThreshold) {
        return {
          action: 'spam',
          score: 1,
          reasons: [
            { code: 'DUPLICATE_ACROSS_THREADS', rule: 'duplicate', detail: `same text in ${threads.size} threads` },
          ],
        };
      }
      return ALLOW;
    },
  };
}

/** The text that is fingerprinted: case, spacing and punctuation do not make a comment new. */
export function fingerprintText(body: string): string {
  return body
    .normalize('NFC')
    .toLowerCase()
    .replace(/[^\p{L}\p{M}\p{N}]+/gu, ' ')
    .trim();
}

/**
 * Fingerprint of a comment for duplicate detection: the first 128 bits of SHA-256 of
 * `fingerprintText`. `sha256Hex` may be a runtime's faster (synchronous) digest; Web Crypto otherwise.
 */
export async function textFingerprint(
  body: string,
  sha256Hex?: (text: string) => string | Promise<string>,
): Promise<string> {
  const folded = fingerprintText(body);
  if (sha256Hex) return (await sha256Hex(folded)).slice(0, 32);
  const digest = await crypto.subtle.digest('SHA-256', new TextEncoder().encode(folded));
  let hex = '';
  for (const b of new Uint8Array(digest).subarray(0, 16)) hex += b.toString(16).padStart(2, '0');
  return hex;
}
