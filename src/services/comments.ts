import { DomainError } from '../core/errors.ts';
import { applyMask, runPipeline } from '../core/pipeline.ts';
import { decide } from '../core/policy.ts';
import type { CommentDraft } from '../core/rule.ts';
import { textFingerprint } from '../core/rules/duplicate.ts';
import { graphemeLength, normalizeText } from '../core/text/length.ts';
import type { CommentRecord, Reason } from '../core/types.ts';
import { toVerdict, type Verdict } from '../core/verdict.ts';
import { ulid } from '../lib/ids.ts';
import type { AppDeps } from './deps.ts';

export interface PostCommentInput {
  threadId: string;
  body: string;
  authorName: string;
  authorEmail?: string | undefined;
  parentId?: string | undefined;
  /** Honeypot: the widget keeps it empty and hidden; bots fill it. */
  website?: string | undefined;
  /** The client's address as the HTTP layer determined it (never stored raw). */
  clientIp: string | null;
}

export type PostCommentResult =
  | { outcome: 'published'; comment: CommentRecord }
  | { outcome: 'held'; comment: CommentRecord }
  | { outcome: 'rejected'; comment: CommentRecord; reasons: Reason[] };

export const AUTHOR_NAME_MAX = 80;

/** Normalises and checks an author name: 1–80 user-perceived characters. */
export function normalizeAuthorName(name: string): string {
  const text = normalizeText(name).replace(/\s+/g, ' ');
  const length = graphemeLength(text);
  if (length < 1 || length > AUTHOR_NAME_MAX) {
    throw new DomainError(
      'VALIDATION_FAILED',
      {},
      { field: 'authorName', problem: `must be 1–${AUTHOR_NAME_MAX} characters` },
    );
  }
  return text;
}

async function authorKey(deps: AppDeps, name: string, email: string | null): Promise<string> {
  return deps.authorHasher.hash(`${name.toLowerCase()}\n${(email ?? '').toLowerCase()}`);
}

/**
 * A reader posts a comment: normalise, run the pipeline, store the outcome with its history and
 * webhook event in one write. Refusals (too short, rate limited, duplicate, banned) store nothing.
 */
export async function postComment(deps: AppDeps, input: PostCommentInput): Promise<PostCommentResult> {
  const body = normalizeText(input.body);
  const authorName = normalizeAuthorName(input.authorName);
  const authorEmail = input.authorEmail ? input.authorEmail.trim().toLowerCase() : null;
  const parentId = input.parentId ?? null;

  if (parentId !== null) {
    const parent = await deps.store.getComment(parentId);
    if (!parent || parent.threadId !== input.threadId || parent.status !== 'approved') {
      throw new DomainError('PARENT_NOT_FOUND', {}, { parentId });
    }
  }

  const [clientKey, aKey, textHash] = await Promise.all([
    input.clientIp ? deps.ipHasher.hash(input.clientIp) : Promise.resolve(null),
    authorKey(deps, authorName, authorEmail),
    textFingerprint(body, deps.sha256Hex),
  ]);
  const draft: CommentDraft = {
    threadId: input.threadId,
    body,
    authorName,
    authorEmail,
    parentId,
    clientKey,
    authorKey: aKey,
    textHash,
  };
  const now = deps.clock.now();
  const result = await runPipeline(deps.rules, draft, {
    now,
    onRuleError: (rule, err) => deps.logger.error('moderation rule failed', { rule, err }),
  });
  if (input.website && input.website.trim() !== '' && result.action !== 'refuse') {
    // A filled honeypot is a bot: store as spam and answer like any held comment.
    result.reasons.push({ code: 'HONEYPOT', rule: 'honeypot' });
    result.action = 'spam';
    result.score = 1;
  }
  const decision = decide(result, deps.config.moderationMode);
  if (decision.kind === 'refused') {
    throw result.error ?? new DomainError('COMMENT_REJECTED');
  }
  const masked = decision.masked ? applyMask(body, result.mask) : body;
  const { comment, queuedDeliveries } = await deps.store.insertCommentWithOutbox({
    id: ulid(now.getTime()),
    threadId: input.threadId,
    parentId,
    authorName,
    authorEmail,
    authorKey: aKey,
    body: masked,
    originalBody: masked === body ? null : body,
    status: decision.status,
    reasons: decision.reasons,
    score: result.score,
    ipHash: clientKey,
    textHash,
  });
  // Most comments queue no delivery (no endpoint subscribed): waking the dispatcher for them would
  // cost a claim query per comment under load.
  if (queuedDeliveries !== 0) deps.onEvents();
  if (decision.status === 'approved') return { outcome: 'published', comment };
  if (decision.status === 'rejected') return { outcome: 'rejected', comment, reasons: decision.reasons };
  return { outcome: 'held', comment };
}

/** The pipeline's verdict on a text, without storing or counting anything (`/check`, `npm run moderate`). */
export async function checkText(
  deps: AppDeps,
  input: { body: string; authorName?: string | undefined },
): Promise<Verdict> {
  const draft: CommentDraft = {
    threadId: 'check',
    body: normalizeText(input.body),
    authorName: normalizeText(input.authorName ?? ''),
    authorEmail: null,
    parentId: null,
    clientKey: null,
  };
  const result = await runPipeline(deps.rules, draft, { now: deps.clock.now(), pureOnly: true });
  return toVerdict(result, deps.config.moderationMode);
}
