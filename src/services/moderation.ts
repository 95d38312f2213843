import { DomainError } from '../core/errors.ts';
import type { CommentStatus } from '../core/types.ts';
import { toModerated } from '../db/mappers.ts';
import type { ApiKey } from '../db/store.ts';
import type { AppDeps } from './deps.ts';

export type DecisionAction = 'approve' | 'reject' | 'spam';

export const STATUS_FOR_ACTION: Record<DecisionAction, CommentStatus> = {
  approve: 'approved',
  reject: 'rejected',
  spam: 'spam',
};

/**
 * A moderator's decision. Repeating the same decision is a no-op; any other changes the status from
 * whatever it was (un-publishing is a reject). History and webhook event are written with the change.
 */
export async function decideComment(
  deps: AppDeps,
  id: string,
  action: DecisionAction,
  key: ApiKey,
  note: string | null,
) {
  const result = await deps.store.decide(
    id,
    STATUS_FOR_ACTION[action],
    { kind: 'moderator', keyId: key.id },
    note,
    action,
  );
  if (!result) throw new DomainError('NOT_FOUND', {}, { id });
  if (result.changed) deps.onEvents();
  return { comment: toModerated(result.comment), changed: result.changed };
}
