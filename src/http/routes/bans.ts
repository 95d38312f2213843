import { Hono } from 'hono';
import { z } from 'zod';
import { createBan, liftBan, listBans } from '../../services/community.ts';
import type { HonoEnv } from '../env.ts';
import { idSchema, validate } from '../validation.ts';

export const banBody = z
  .object({
    email: z.string().trim().max(254).pipe(z.email()).optional(),
    commentId: idSchema.optional(),
    until: z.iso.datetime({ offset: true }).nullable().optional(),
    reason: z.string().trim().min(1).max(500),
    rejectPending: z.boolean().optional(),
  })
  .refine((b) => b.email !== undefined || b.commentId !== undefined, {
    message: 'give email, commentId or both',
    path: ['email'],
  });

export const banListQuery = z.object({ all: z.enum(['true', 'false']).default('false') });
const idParam = z.object({ id: idSchema });

/**
 * Author bans. Mounted by moderationRoutes() under `/moderation/*`, behind its moderator auth.
 * A lifted ban is kept, with who lifted it and when: the ban rows are the audit record.
 */
export function banRoutes() {
  return new Hono<HonoEnv>()
    .post('/moderation/bans', validate('json', banBody), async (c) => {
      const { ban, rejected } = await createBan(c.get('deps'), c.req.valid('json'), c.get('apiKey'));
      return c.json({ ban, rejected }, 201);
    })
    .get('/moderation/bans', validate('query', banListQuery), async (c) => {
      const { all } = c.req.valid('query');
      return c.json({ bans: await listBans(c.get('deps'), all === 'true') });
    })
    .delete('/moderation/bans/:id', validate('param', idParam), async (c) => {
      const ban = await liftBan(c.get('deps'), c.req.valid('param').id, c.get('apiKey'));
      return c.json({ ban });
    });
}
