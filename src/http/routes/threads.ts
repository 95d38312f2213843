import { Hono } from 'hono';
import { z } from 'zod';
import { DomainError } from '../../core/errors.ts';
import { message } from '../../core/messages.ts';
import { toPublic } from '../../db/mappers.ts';
import { matchesEtag, ThreadPageCache, threadPageCache, weakEtag } from '../../lib/thread-page-cache.ts';
import { postComment } from '../../services/comments.ts';
import type { HonoEnv } from '../env.ts';
import { idSchema, threadIdSchema, validate } from '../validation.ts';

export const postCommentSchema = z.object({
  body: z.string().max(20_000),
  authorName: z.string().max(1000),
  authorEmail: z
    .string()
    .trim()
    .max(254)
    .pipe(z.email())
    .optional()
    .or(z.literal('').transform(() => undefined)),
  parentId: idSchema.optional().nullable(),
  website: z.string().max(2000).optional(),
});

export const listQuerySchema = z.object({
  limit: z.coerce.number().int().min(1).max(100).default(20),
  cursor: z.string().max(200).optional(),
  order: z.enum(['newest', 'oldest']).default('newest'),
});

const threadParam = z.object({ threadId: threadIdSchema });

/** The reader API: post to and read a thread. */
export function threadRoutes() {
  return new Hono<HonoEnv>()
    .post(
      '/threads/:threadId/comments',
      validate('param', threadParam),
      validate('json', postCommentSchema),
      async (c) => {
        const deps = c.get('deps');
        const { threadId } = c.req.valid('param');
        const input = c.req.valid('json');
        const result = await postComment(deps, {
          threadId,
          body: input.body,
          authorName: input.authorName,
          authorEmail: input.authorEmail,
          parentId: input.parentId ?? undefined,
          website: input.website,
          clientIp: c.get('clientIp')(),
        });
        const comment = toPublic(result.comment);
        if (result.outcome === 'published') return c.json({ comment }, 201);
        if (result.outcome === 'held') {
          // Spam is answered exactly like a held comment, so a spammer learns nothing.
          return c.json(
            {
              comment: { ...comment, status: 'pending' as const },
              message: message(c.get('locale'), 'COMMENT_PENDING'),
            },
            202,
          );
        }
        const terms = [...new Set(result.reasons.map((r) => r.detail).filter((d): d is string => !!d))];
        throw new DomainError(
          'COMMENT_REJECTED',
          { terms: terms.join(', ') },
          { reasons: result.reasons.map(({ code, rule, detail, spans }) => ({ code, rule, detail, spans })) },
        );
      },
    )
    .get(
      '/threads/:threadId/comments',
      validate('param', threadParam),
      validate('query', listQuerySchema),
      async (c) => {
        const { store, clock } = c.get('deps');
        const { threadId } = c.req.valid('param');
        const q = c.req.valid('query');
        // Readers revalidate with the ETag; `no-cache` (not `no-store`) lets browsers keep the page to do so.
        c.header('Cache-Control', 'no-cache');
        const cache = q.cursor ? null : threadPageCache(store);
        const key = ThreadPageCache.key(threadId, q.order, q.limit);
        const nowMs = clock.now().getTime();
        let page: { body: string; etag: string } | null = cache?.get(threadId, key, nowMs) ?? null;
        if (!page) {
          const readAt = store.threadChanges.now;
          const [list, total] = await Promise.all([
            store.listThread(threadId, { limit: q.limit, cursor: q.cursor ?? null, order: q.order }),
            store.countApproved(threadId),
          ]);
          const body = JSON.stringify({ comments: list.items.map(toPublic), nextCursor: list.nextCursor, total });
          const etag = weakEtag(body);
          cache?.set(threadId, key, body, etag, readAt, nowMs);
          page = { body, etag };
        }
        c.header('ETag', page.etag);
        if (matchesEtag(c.req.header('if-none-match'), page.etag)) return c.body(null, 304);
        c.header('Content-Type', 'application/json');
        return c.body(page.body, 200);
      },
    );
}
