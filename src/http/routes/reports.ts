import { Hono } from 'hono';
import { z } from 'zod';
import { DomainError } from '../../core/errors.ts';
import { message } from '../../core/messages.ts';
import { REPORT_REASONS } from '../../core/types.ts';
import { reportComment } from '../../services/community.ts';
import type { HonoEnv } from '../env.ts';
import { idSchema, validate } from '../validation.ts';

export const reportBodySchema = z.object({
  reason: z.enum(REPORT_REASONS),
  note: z.string().max(2000).optional(),
});

/** The reader API's reports: anyone may flag a published comment, once per client. */
export function reportRoutes() {
  return new Hono<HonoEnv>().post('/comments/:id/reports', validate('json', reportBodySchema), async (c) => {
    const id = c.req.param('id');
    // An id that cannot exist is simply not found: readers get no validation detail about ids.
    if (!idSchema.safeParse(id).success) throw new DomainError('NOT_FOUND', {}, { id });
    const { reason, note } = c.req.valid('json');
    await reportComment(c.get('deps'), { commentId: id, reason, note, clientIp: c.get('clientIp')() });
    // A repeat answers the same: whether this client had reported before is nobody else's business.
    return c.json({ message: message(c.get('locale'), 'REPORT_RECEIVED') }, 202);
  });
}
