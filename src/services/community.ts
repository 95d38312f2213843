import { DomainError } from '../core/errors.ts';
import { normalizeText } from '../core/text/length.ts';
import type { CommentRecord, ModeratedComment, ReportReason } from '../core/types.ts';
import { type Ban, CommunityStore, type ReaderReport, type ReportedQuery } from '../db/community-store.ts';
import { toModerated } from '../db/mappers.ts';
import type { ApiKey, Page } from '../db/store.ts';
import type { AppDeps } from './deps.ts';

/** What moderators see of a comment in lists: its active reader reports too (never who sent them). */
export type ReportedComment = ModeratedComment & { originalBody?: string; reports: ReaderReport[] };

/** Longest note a reader can add to a report, in characters after normalisation. */
export const REPORT_NOTE_MAX = 500;

/** Without an address (a misconfigured proxy) every such client counts as one: reports can only under-count. */
const UNKNOWN_CLIENT = 'unknown-client';

function communityStore(deps: AppDeps): CommunityStore {
  return new CommunityStore(deps.store);
}

/**
 * A reader reports a published comment. One report per client (keyed IP hash) and comment: a repeat
 * changes nothing. Rate limited per client like posting. The report that makes `reportThreshold`
 * distinct clients hides the comment (back to `pending`, READER_REPORTS).
 */
export async function reportComment(
  deps: AppDeps,
  input: { commentId: string; reason: ReportReason; note?: string | undefined; clientIp: string | null },
): Promise<{ recorded: boolean; hidden: boolean }> {
  const clientKey = input.clientIp ? await deps.ipHasher.hash(input.clientIp) : UNKNOWN_CLIENT;
  if (deps.reportLimiter) {
    const outcome = await deps.reportLimiter.consume(clientKey);
    if (outcome.limited) {
      const retryAfter = Math.max(1, Math.ceil(outcome.retryAfterMs / 1000));
      throw new DomainError('RATE_LIMITED', { retryAfter }, { retryAfter, limits: outcome.limits });
    }
  }
  const comment = await deps.store.getComment(input.commentId);
  if (comment?.status !== 'approved') throw new DomainError('NOT_FOUND', {}, { id: input.commentId });
  const note = input.note ? [...normalizeText(input.note)].slice(0, REPORT_NOTE_MAX).join('') : '';
  const community = communityStore(deps);
  const recorded = await community.addReport({
    commentId: comment.id,
    clientKey,
    reason: input.reason,
    note: note || null,
  });
  // Checked even for a repeat: it finishes the job if a process died between counting and hiding.
  const hidden = await community.hideIfReported(comment.id, deps.config.reportThreshold);
  if (hidden) deps.onEvents();
  return { recorded, hidden: hidden !== null };
}

/** Moderated comments with their active reports (an empty list for an unreported one). */
export async function withReports(deps: AppDeps, comments: readonly CommentRecord[]): Promise<ReportedComment[]> {
  const reported = comments.filter((c) => c.reportCount > 0).map((c) => c.id);
  const reports = await communityStore(deps).reportsOf(reported);
  return comments.map((c) => ({ ...toModerated(c), reports: reports.get(c.id) ?? [] }));
}

/** The Reported view: published comments with active reports, most reported first, then oldest. */
export async function listReported(deps: AppDeps, q: ReportedQuery): Promise<Page<ReportedComment>> {
  const page = await communityStore(deps).listReported(q);
  return { items: await withReports(deps, page.items), nextCursor: page.nextCursor };
}

/** How many comments the Reported view holds. */
export function countReported(deps: AppDeps): Promise<number> {
  return communityStore(deps).countReported();
}

/** Keeps a comment published (or publishes again one hidden by reports) and sets its reports aside. */
export async function dismissReports(
  deps: AppDeps,
  id: string,
  key: ApiKey,
  note: string | null,
): Promise<ReportedComment> {
  const result = await communityStore(deps).dismissReports(id, key.id, note);
  if (!result) throw new DomainError('NOT_FOUND', {}, { id });
  if (result.changed && result.comment.status === 'approved') deps.onEvents();
  const [comment] = await withReports(deps, [result.comment]);
  return comment ?? { ...toModerated(result.comment), reports: [] };
}

export interface BanInput {
  email?: string | undefined;
  commentId?: string | undefined;
  until?: string | null | undefined;
  reason: string;
  rejectPending?: boolean | undefined;
}

/**
 * Bans an author by email and/or by the client-IP hash of one of their comments, for a while or
 * (`until` null) without end, optionally rejecting their pending comments in the same unit.
 */
export async function createBan(
  deps: AppDeps,
  input: BanInput,
  key: ApiKey,
): Promise<{ ban: Ban; rejected: string[] }> {
  const now = deps.clock.now();
  let until: string | null = null;
  if (input.until) {
    const end = new Date(input.until);
    if (Number.isNaN(end.getTime())) {
      throw new DomainError('VALIDATION_FAILED', {}, { field: 'until', problem: 'not an ISO-8601 time' });
    }
    if (end.getTime() <= now.getTime()) {
      throw new DomainError('VALIDATION_FAILED', {}, { field: 'until', problem: 'must be in the future' });
    }
    until = end.toISOString();
  }
  const source = input.commentId ? await deps.store.getComment(input.commentId) : null;
  if (input.commentId && !source) throw new DomainError('NOT_FOUND', {}, { id: input.commentId });
  const email = (input.email ?? source?.authorEmail ?? null)?.trim().toLowerCase() || null;
  const ipHash = source?.ipHash ?? null;
  if (!email && !ipHash) {
    throw new DomainError(
      'VALIDATION_FAILED',
      {},
      { field: 'email', problem: 'give an email, or a comment whose author left an email or an address' },
    );
  }
  const community = communityStore(deps);
  const reject = input.rejectPending ? await community.pendingByAuthor(email, ipHash) : [];
  const { ban, rejected } = await community.createBan(
    { email, ipHash, commentId: source?.id ?? null, reason: input.reason, until, keyId: key.id },
    source,
    reject,
  );
  deps.onBansChanged?.();
  deps.onEvents();
  return { ban, rejected: rejected.map((c) => c.id) };
}

export function listBans(deps: AppDeps, all: boolean): Promise<Ban[]> {
  return communityStore(deps).listBans(all);
}

/** Lifts a ban; lifting a lifted one is a no-op. */
export async function liftBan(deps: AppDeps, id: string, key: ApiKey): Promise<Ban> {
  const result = await communityStore(deps).liftBan(id, key.id);
  if (!result) throw new DomainError('NOT_FOUND', {}, { id });
  deps.onBansChanged?.();
  return result.ban;
}
