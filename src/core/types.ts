/** Domain types shared by every layer. Runtime-free: no platform, database or HTTP imports. */

export const COMMENT_STATUSES = ['pending', 'approved', 'rejected', 'spam'] as const;
export type CommentStatus = (typeof COMMENT_STATUSES)[number];

export type Locale = 'vi' | 'en';

/** Why a reader reports a comment; the widget offers exactly these. */
export const REPORT_REASONS = ['spam', 'abuse', 'off_topic', 'other'] as const;
export type ReportReason = (typeof REPORT_REASONS)[number];

/** A half-open [start, end) range of UTF-16 code-unit offsets into the stored comment body. */
export type Span = [number, number];

/**
 * Why a comment was held, rejected or masked. `code` is machine-readable (SCREAMING_SNAKE),
 * `rule` names the rule that produced it, `detail` is a short human hint (e.g. the matched term),
 * `spans` point into the body the moderator sees.
 */
export interface Reason {
  code: string;
  rule: string;
  detail?: string;
  spans?: Span[];
}

/** The public shape of a comment: never email, IP hash, reasons or score. */
export interface PublicComment {
  id: string;
  threadId: string;
  parentId: string | null;
  authorName: string;
  body: string;
  status: CommentStatus;
  createdAt: string;
}

/** What moderators see. */
export interface ModeratedComment extends PublicComment {
  authorEmail: string | null;
  reasons: Reason[];
  score: number;
  decidedAt: string | null;
  decidedBy: string | null;
  reportCount: number;
}

/** A stored comment with everything the service knows about it. */
export interface CommentRecord extends ModeratedComment {
  /** Keyed hash of the client IP (never the raw address). */
  ipHash: string | null;
  /** Hash of the normalised text, for duplicate detection. */
  textHash: string;
  /** The text as written when the stored body was masked; null otherwise. */
  originalBody: string | null;
  updatedAt: string;
  /** Changes with every write; guards concurrent writes. */
  revision: string;
}

/** A ban as moderators see it. `byIp` says whether it also matches a client-IP hash (never shown). */
export interface Ban {
  id: string;
  email: string | null;
  byIp: boolean;
  commentId: string | null;
  reason: string;
  until: string | null;
  createdAt: string;
  createdBy: string;
  liftedAt: string | null;
  liftedBy: string | null;
  /** Neither lifted nor expired at the time it was read. */
  active: boolean;
}

/** The injected clock: every timestamp and timeout in the core reads it. */
export interface Clock {
  now(): Date;
}

export const systemClock: Clock = { now: () => new Date() };
