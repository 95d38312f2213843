import type { DomainError } from './errors.ts';
import type { Reason, Span } from './types.ts';

/**
 * What a rule wants done with a comment, from mildest to strongest.
 * - `allow`: no objection.
 * - `hold`: keep it for a moderator (stored `pending`).
 * - `spam`: stored `spam`, answered like any held comment.
 * - `reject`: stored `rejected`, answered 422 COMMENT_REJECTED so the writer can rephrase.
 * - `refuse`: the request itself is refused (too short, rate limited, duplicate, banned): nothing is stored.
 */
export type Action = 'allow' | 'hold' | 'spam' | 'reject' | 'refuse';

export const ACTION_RANK: Record<Action, number> = { allow: 0, hold: 1, spam: 2, reject: 3, refuse: 4 };

/** The comment being moderated, after the length rule's normalisation. */
export interface CommentDraft {
  threadId: string;
  /** Normalised body (NFC, no invisible characters, trimmed): offsets in spans point into this. */
  body: string;
  authorName: string;
  authorEmail: string | null;
  parentId: string | null;
  /** Keyed hash of the client IP; null when moderating text alone (`/check`, `npm run moderate`). */
  clientKey: string | null;
  /** Keyed hash of the author's name and email; absent when moderating text alone. */
  authorKey?: string;
  /** Fingerprint of the normalised text (duplicate detection); absent when moderating text alone. */
  textHash?: string;
}

/** Read-only input to every rule. `shared` memoises work several rules need (e.g. tokenisation). */
export interface RuleContext {
  readonly draft: CommentDraft;
  readonly now: Date;
  shared<T>(key: string, compute: () => T): T;
}

export interface RuleResult {
  action: Action;
  reasons?: Reason[];
  /** Spam-likeness in [0, 1]; the pipeline keeps the highest. */
  score?: number;
  /** Spans of the body to replace with `***` when the policy masks instead of holding. */
  mask?: Span[];
  /** With `refuse`: the error the client receives. */
  error?: DomainError;
}

/**
 * One moderation rule. Adding a rule is one file exporting a factory that returns this,
 * one line in the ordered registry and one test file.
 */
export interface Rule {
  /** Kebab-case name recorded in each reason's `rule`. */
  readonly name: string;
  /**
   * Stateful rules (rate limits, duplicates, bans) count or look things up; they run only when a
   * comment is really posted, never for `/check` or `npm run moderate`.
   */
  readonly stateful?: boolean;
  check(ctx: RuleContext): RuleResult | Promise<RuleResult>;
}

export const ALLOW: RuleResult = Object.freeze({ action: 'allow' }) as RuleResult;
