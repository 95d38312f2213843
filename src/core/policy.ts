import type { PipelineResult } from './pipeline.ts';
import type { CommentStatus, Reason } from './types.ts';

/** `post`: clean comments publish at once; `pre`: every comment waits for a moderator. */
export type ModerationMode = 'post' | 'pre';

export type Decision =
  | { kind: 'refused' }
  | { kind: 'stored'; status: CommentStatus; reasons: Reason[]; masked: boolean };

/** Maps the pipeline's verdict to what is stored, given the site's moderation mode. */
export function decide(result: PipelineResult, mode: ModerationMode): Decision {
  const masked = result.mask.length > 0;
  switch (result.action) {
    case 'refuse':
      return { kind: 'refused' };
    case 'reject':
      return { kind: 'stored', status: 'rejected', reasons: result.reasons, masked };
    case 'spam':
      return { kind: 'stored', status: 'spam', reasons: result.reasons, masked };
    case 'hold':
      return { kind: 'stored', status: 'pending', reasons: result.reasons, masked };
    case 'allow':
      if (mode === 'pre') {
        return {
          kind: 'stored',
          status: 'pending',
          reasons: [...result.reasons, { code: 'PREMODERATION', rule: 'policy' }],
          masked,
        };
      }
      return { kind: 'stored', status: 'approved', reasons: result.reasons, masked };
  }
}
