import { Hono } from 'hono';
import { z } from 'zod';
import { DomainError } from '../../core/errors.ts';
import { COMMENT_STATUSES } from '../../core/types.ts';
import { toModerated } from '../../db/mappers.ts';
import { checkText } from '../../services/comments.ts';
import { countReported, dismissReports, listReported, withReports } from '../../services/community.ts';
import { type DecisionAction, decideComment } from '../../services/moderation.ts';
import type { HonoEnv } from '../env.ts';
import { requireRole } from '../middleware/auth.ts';
import { idSchema, threadIdSchema, validate } from '../validation.ts';
import { banRoutes } from './bans.ts';

export const queueQuery = z.object({
  /** `reported`: published comments with reader reports (not a stored status). */
  status: z.enum([...COMMENT_STATUSES, 'reported']).default('pending'),
  threadId: threadIdSchema.optional(),
  q: z.string().min(1).max(200).optional(),
  reason: z
    .string()
    .regex(/^[A-Z][A-Z0-9_]{0,63}$/)
    .optional(),
  limit: z.coerce.number().int().min(1).max(200).default(50),
  cursor: z.string().max(200).optional(),
});

export const noteBody = z.object({ note: z.string().max(2000).optional() });
const idParam = z.object({ id: idSchema });
export const bulkBody = z.object({
  action: z.enum(['approve', 'reject', 'spam']),
  ids: z.array(z.string().max(64)).min(1).max(500),
  note: z.string().max(2000).optional(),
});
export const checkBody = z.object({ body: z.string().max(20_000), authorName: z.string().max(1000).optional() });

/** The moderator API: queue, decisions, history, stats, and the pipeline's verdict on a text. */
export function moderationRoutes() {
  const app = new Hono<HonoEnv>();
  app.use('/moderation/*', requireRole('moderator'));
  app.use('/check', requireRole('moderator'));

  app.get('/moderation/comments', validate('query', queueQuery), async (c) => {
    const deps = c.get('deps');
    const q = c.req.valid('query');
    const filters = { threadId: q.threadId, q: q.q, reason: q.reason, limit: q.limit, cursor: q.cursor ?? null };
    if (q.status === 'reported') {
      const page = await listReported(deps, filters);
      return c.json({ comments: page.items, nextCursor: page.nextCursor });
    }
    const page = await deps.store.listModeration({ status: q.status, ...filters });
    return c.json({ comments: await withReports(deps, page.items), nextCursor: page.nextCursor });
  });

  app.get('/moderation/stats', async (c) => {
    const deps = c.get('deps');
    const [{ counts, oldestPendingAt }, reported] = await Promise.all([deps.store.stats(), countReported(deps)]);
    const oldestPendingAgeSeconds = oldestPendingAt
      ? Math.max(0, Math.round((deps.clock.now().getTime() - Date.parse(oldestPendingAt)) / 1000))
      : null;
    return c.json({ counts, reported, oldestPendingAt, oldestPendingAgeSeconds });
  });

  app.get('/moderation/comments/:id', validate('param', idParam), async (c) => {
    const deps = c.get('deps');
    const { id } = c.req.valid('param');
    const comment = await deps.store.getComment(id);
    if (!comment) throw new DomainError('NOT_FOUND', {}, { id });
    const [moderated] = await withReports(deps, [comment]);
    return c.json({ comment: moderated ?? toModerated(comment), history: await deps.store.history(id) });
  });

  for (const action of ['approve', 'reject', 'spam'] as const) {
    app.post(
      `/moderation/comments/:id/${action}`,
      validate('param', idParam),
      validate('json', noteBody),
      async (c) => {
        const { id } = c.req.valid('param');
        const { note } = c.req.valid('json');
        const { comment } = await decideComment(c.get('deps'), id, action, c.get('apiKey'), note ?? null);
        return c.json({ comment });
      },
    );
  }

  app.post(
    '/moderation/comments/:id/dismiss-reports',
    validate('param', idParam),
    validate('json', noteBody),
    async (c) => {
      const { id } = c.req.valid('param');
      const { note } = c.req.valid('json');
      const comment = await dismissReports(c.get('deps'), id, c.get('apiKey'), note ?? null);
      return c.json({ comment });
    },
  );

  app.route('/', banRoutes());

  app.post('/moderation/comments/bulk', validate('json', bulkBody), async (c) => {
    const deps = c.get('deps');
    const { action, ids, note } = c.req.valid('json');
    const key = c.get('apiKey');
    const results: { id: string; ok: boolean; status?: string; error?: { code: string } }[] = [];
    for (const id of ids) {
      if (!idSchema.safeParse(id).success) {
        results.push({ id, ok: false, error: { code: 'NOT_FOUND' } });
        continue;
      }
      try {
        const { comment } = await decideComment(deps, id, action as DecisionAction, key, note ?? null);
        results.push({ id, ok: true, status: comment.status });
      } catch (err) {
        if (!(err instanceof DomainError)) throw err;
        results.push({ id, ok: false, error: { code: err.code } });
      }
    }
    return c.json({ results });
  });

  app.post('/check', validate('json', checkBody), async (c) => {
    const verdict = await checkText(c.get('deps'), c.req.valid('json'));
    return c.json(verdict);
  });

  return app;
}
