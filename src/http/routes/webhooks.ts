import { Hono } from 'hono';
import { z } from 'zod';
import { isDeliveryId } from '../../db/webhook-store.ts';
import {
  createWebhook,
  deleteWebhook,
  enableWebhook,
  getWebhook,
  listWebhookDeliveries,
  listWebhooks,
  retryWebhookDelivery,
  rotateWebhookSecret,
  WEBHOOK_EVENTS,
} from '../../services/webhooks.ts';
import type { HonoEnv } from '../env.ts';
import { requireRole } from '../middleware/auth.ts';
import { idSchema, validate } from '../validation.ts';

export const createWebhookBody = z.object({
  url: z.string().trim().min(1).max(2000),
  events: z
    .array(z.enum([...WEBHOOK_EVENTS, '*']))
    .min(1)
    .max(20)
    .optional(),
  description: z.string().trim().max(500).optional(),
});
const idParam = z.object({ id: idSchema });
const deliveryParam = z.object({
  id: idSchema,
  deliveryId: z.string().refine(isDeliveryId, 'not a valid delivery id'),
});
export const deliveriesQuery = z.object({
  status: z.enum(['pending', 'succeeded', 'failed', 'cancelled']).optional(),
  limit: z.coerce.number().int().min(1).max(200).default(50),
  cursor: z.string().max(200).optional(),
});

/** Admin-only webhook endpoints: registration, secrets, the delivery log and manual retries. */
export function webhookRoutes() {
  const app = new Hono<HonoEnv>();
  app.use('/webhooks', requireRole('admin'));
  app.use('/webhooks/*', requireRole('admin'));

  app.post('/webhooks', validate('json', createWebhookBody), async (c) => {
    const { webhook, secret } = await createWebhook(c.get('deps'), c.req.valid('json'));
    return c.json({ webhook, secret }, 201);
  });
  app.get('/webhooks', async (c) => c.json({ webhooks: await listWebhooks(c.get('deps')) }));
  app.get('/webhooks/:id', validate('param', idParam), async (c) =>
    c.json({ webhook: await getWebhook(c.get('deps'), c.req.valid('param').id) }),
  );
  app.delete('/webhooks/:id', validate('param', idParam), async (c) => {
    await deleteWebhook(c.get('deps'), c.req.valid('param').id);
    return c.body(null, 204);
  });
  app.post('/webhooks/:id/rotate-secret', validate('param', idParam), async (c) =>
    c.json(await rotateWebhookSecret(c.get('deps'), c.req.valid('param').id)),
  );
  app.post('/webhooks/:id/enable', validate('param', idParam), async (c) =>
    c.json({ webhook: await enableWebhook(c.get('deps'), c.req.valid('param').id) }),
  );
  app.get('/webhooks/:id/deliveries', validate('param', idParam), validate('query', deliveriesQuery), async (c) => {
    const q = c.req.valid('query');
    const page = await listWebhookDeliveries(c.get('deps'), c.req.valid('param').id, {
      limit: q.limit,
      cursor: q.cursor ?? null,
      status: q.status,
    });
    return c.json(page);
  });
  app.post('/webhooks/:id/deliveries/:deliveryId/retry', validate('param', deliveryParam), async (c) => {
    const { id, deliveryId } = c.req.valid('param');
    return c.json({ delivery: await retryWebhookDelivery(c.get('deps'), id, deliveryId) }, 202);
  });
  return app;
}
