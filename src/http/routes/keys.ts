import { Hono } from 'hono';
import { z } from 'zod';
import { DomainError } from '../../core/errors.ts';
import { createKey } from '../../services/keys.ts';
import type { HonoEnv } from '../env.ts';
import { requireRole } from '../middleware/auth.ts';
import { validate } from '../validation.ts';

export const createKeyBody = z.object({
  name: z.string().trim().min(1).max(100),
  role: z.enum(['moderator', 'admin']),
});

/** Admin-only API key management. Secrets are returned once, at creation. */
export function keyRoutes() {
  const app = new Hono<HonoEnv>();
  app.use('/keys', requireRole('admin'));
  app.use('/keys/*', requireRole('admin'));
  app.post('/keys', validate('json', createKeyBody), async (c) => {
    const { name, role } = c.req.valid('json');
    const { key, secret } = await createKey(c.get('deps').store, name, role);
    return c.json({ key, secret }, 201);
  });
  app.get('/keys', async (c) => c.json({ keys: await c.get('deps').store.listKeys() }));
  app.delete('/keys/:id', async (c) => {
    const id = c.req.param('id');
    if (!(await c.get('deps').store.revokeKey(id))) throw new DomainError('NOT_FOUND', {}, { id });
    return c.body(null, 204);
  });
  return app;
}
