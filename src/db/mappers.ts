import type { Selectable } from 'kysely';
import type { CommentRecord, CommentStatus, ModeratedComment, PublicComment, Reason } from '../core/types.ts';
import type { CommentsTable } from './schema.ts';

/** The one place snake_case rows become camelCase domain objects. */
export function toRecord(row: Selectable<CommentsTable>): CommentRecord {
  return {
    id: row.id,
    threadId: row.thread_id,
    parentId: row.parent_id,
    authorName: row.author_name,
    authorEmail: row.author_email,
    body: row.body,
    originalBody: row.original_body,
    status: row.status as CommentStatus,
    reasons: parseReasons(row.reasons),
    score: Number(row.score),
    ipHash: row.ip_hash,
    textHash: row.text_hash,
    reportCount: Number(row.report_count),
    revision: row.revision,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
    decidedAt: row.decided_at,
    decidedBy: row.decided_by,
  };
}

function parseReasons(text: string): Reason[] {
  try {
    const value: unknown = JSON.parse(text);
    return Array.isArray(value) ? (value as Reason[]) : [];
  } catch {
    return [];
  }
}

export function toPublic(c: CommentRecord | ModeratedComment): PublicComment {
  return {
    id: c.id,
    threadId: c.threadId,
    parentId: c.parentId,
    authorName: c.authorName,
    body: c.body,
    status: c.status,
    createdAt: c.createdAt,
  };
}

export function toModerated(c: CommentRecord): ModeratedComment & { originalBody?: string } {
  return {
    ...toPublic(c),
    authorEmail: c.authorEmail,
    reasons: c.reasons,
    score: c.score,
    decidedAt: c.decidedAt,
    decidedBy: c.decidedBy,
    reportCount: c.reportCount,
    ...(c.originalBody !== null ? { originalBody: c.originalBody } : {}),
  };
}
