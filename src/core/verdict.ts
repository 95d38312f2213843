import type { PipelineResult } from './pipeline.ts';
import { decide, type ModerationMode } from './policy.ts';
import type { CommentStatus, Reason } from './types.ts';

/** The answer of `POST /api/v1/check` and `npm run moderate`. */
export interface Verdict {
  action: 'allow' | 'review' | 'reject';
  /** The status the comment would be stored with; null when it would be refused outright. */
  status: CommentStatus | null;
  reasons: Reason[];
  score: number;
  /** The error code a post would get (COMMENT_TOO_SHORT, COMMENT_REJECTED, …), if any. */
  code?: string;
}

export function toVerdict(result: PipelineResult, mode: ModerationMode): Verdict {
  const decision = decide(result, mode);
  if (decision.kind === 'refused') {
    const code = result.error?.code ?? 'COMMENT_REJECTED';
    return { action: 'reject', status: null, reasons: result.reasons, score: result.score, code };
  }
  const { status, reasons } = decision;
  const action = status === 'approved' ? 'allow' : status === 'rejected' ? 'reject' : 'review';
  return {
    action,
    status,
    reasons,
    score: result.score,
    ...(status === 'rejected' ? { code: 'COMMENT_REJECTED' } : {}),
  };
}
