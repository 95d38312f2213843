import { Hono } from 'hono';
import { z } from 'zod';
import { DomainError } from '../../core/errors.ts';
import { toModerated } from '../../db/mappers.ts';
import { PrivacyStore } from '../../db/privacy-store.ts';
import type { HonoEnv } from '../env.ts';
import { requireRole } from '../middleware/auth.ts';
import { validate } from '../validation.ts';

export const authorEmailQuery = z.object({ email: z.string().trim().max(254).pipe(z.email()) });
export const authorEmailBody = authorEmailQuery;

/**
 * Data-protection requests (admin): export or erase everything an author wrote, by email, and run
 * the retention sweep (RETENTION_DAYS) on demand.
 */
export function privacyRoutes() {
  const app = new Hono<HonoEnv>();
  app.use('/privacy/*', requireRole('admin'));
  app.get('/privacy/authors/export', validate('query', authorEmailQuery), async (c) => {
    const { email } = c.req.valid('query');
    const items = await new PrivacyStore(c.get('deps').store).exportAuthor(email);
    c.header('Content-Disposition', 'attachment; filename="duyet-export.json"');
    return c.json({
      email,
      exportedAt: c.get('deps').clock.now().toISOString(),
      comments: items.map(({ comment, history }) => ({ comment: toModerated(comment), history })),
    });
  });
  app.post('/privacy/authors/erase', validate('json', authorEmailBody), async (c) => {
    const { email } = c.req.valid('json');
    const erased = await new PrivacyStore(c.get('deps').store).eraseAuthor(email);
    c.get('deps').logger.info('author erased', { comments: erased, by: c.get('apiKey').id });
    return c.json({ erased });
  });
  app.post('/privacy/retention/run', async (c) => {
    const deps = c.get('deps');
    const days = deps.config.retentionDays;
    if (days === null) throw new DomainError('CONFLICT', {}, { reason: 'RETENTION_DAYS is not set' });
    return c.json({ days, ...(await new PrivacyStore(deps.store).applyRetention(days, deps.clock.now())) });
  });
  return app;
}
