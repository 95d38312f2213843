import { DomainError } from '../core/errors.ts';
import {
  type DeliveryStatus,
  type DeliveryWithAttempts,
  type WebhookEndpoint,
  WebhookStore,
} from '../db/webhook-store.ts';
import { ulid } from '../lib/ids.ts';
import { generateWebhookSecret } from '../webhooks/signing.ts';
import { createUrlGuard, noResolver, type UrlGuard } from '../webhooks/ssrf.ts';
import type { AppDeps } from './deps.ts';

/** Events an endpoint may subscribe to; `*` is all of them, including types added later. */
export const WEBHOOK_EVENTS = [
  'comment.approved',
  'comment.pending',
  'comment.rejected',
  'comment.spam',
  'comment.reported',
  'author.banned',
] as const;
export type WebhookEventType = (typeof WEBHOOK_EVENTS)[number];

/** During a rotation the previous secret keeps signing this long, time for a receiver to switch. */
export const ROTATION_OVERLAP_MS = 24 * 60 * 60 * 1000;

function webhookStore(deps: AppDeps): WebhookStore {
  return new WebhookStore(deps.store);
}

/** The runtime's guard, or one that can judge only IP literals where no DNS resolver is wired. */
function guardOf(deps: AppDeps): UrlGuard {
  return deps.webhookGuard ?? createUrlGuard({ resolve: noResolver, allowPrivate: deps.config.webhookAllowPrivate });
}

function nowIso(deps: AppDeps): string {
  return deps.clock.now().toISOString();
}

/** `*` anywhere means all events; otherwise the distinct types, in a stable order. */
export function normaliseEvents(events: readonly string[] | undefined): string[] {
  if (!events || events.length === 0 || events.includes('*')) return ['*'];
  return [...new Set(events)].sort();
}

async function checkUrl(deps: AppDeps, url: string): Promise<void> {
  const result = await guardOf(deps).check(url);
  if (!result.ok) {
    throw new DomainError(
      'WEBHOOK_URL_FORBIDDEN',
      {},
      { reason: result.reason, ...(result.address ? { address: result.address } : {}) },
    );
  }
}

/** Registers an endpoint; the secret is returned this once and kept only sealed. */
export async function createWebhook(
  deps: AppDeps,
  input: { url: string; events?: string[] | undefined; description?: string | undefined },
): Promise<{ webhook: WebhookEndpoint; secret: string }> {
  await checkUrl(deps, input.url);
  const secret = generateWebhookSecret();
  const webhook = await webhookStore(deps).createEndpoint(
    {
      id: ulid(deps.clock.now().getTime()),
      url: input.url,
      description: input.description ?? null,
      events: normaliseEvents(input.events),
      secretEnc: await deps.sealer.seal(secret),
    },
    nowIso(deps),
  );
  return { webhook, secret };
}

export async function listWebhooks(deps: AppDeps): Promise<WebhookEndpoint[]> {
  return webhookStore(deps).listEndpoints(nowIso(deps));
}

export async function getWebhook(deps: AppDeps, id: string): Promise<WebhookEndpoint> {
  const webhook = await webhookStore(deps).getEndpoint(id, nowIso(deps));
  if (!webhook) throw new DomainError('NOT_FOUND', {}, { id });
  return webhook;
}

export async function deleteWebhook(deps: AppDeps, id: string): Promise<void> {
  if (!(await webhookStore(deps).deleteEndpoint(id))) throw new DomainError('NOT_FOUND', {}, { id });
}

/** A new secret signs from now on; the previous one also signs for `ROTATION_OVERLAP_MS`. */
export async function rotateWebhookSecret(
  deps: AppDeps,
  id: string,
): Promise<{ secret: string; previousSecretExpiresAt: string }> {
  const secret = generateWebhookSecret();
  const now = deps.clock.now();
  const previousSecretExpiresAt = new Date(now.getTime() + ROTATION_OVERLAP_MS).toISOString();
  const done = await webhookStore(deps).rotateSecret(
    id,
    await deps.sealer.seal(secret),
    previousSecretExpiresAt,
    now.toISOString(),
  );
  if (!done) throw new DomainError('NOT_FOUND', {}, { id });
  return { secret, previousSecretExpiresAt };
}

/** Re-enables an endpoint that was disabled (410 or failing too long). */
export async function enableWebhook(deps: AppDeps, id: string): Promise<WebhookEndpoint> {
  if (!(await webhookStore(deps).enableEndpoint(id, nowIso(deps)))) throw new DomainError('NOT_FOUND', {}, { id });
  return getWebhook(deps, id);
}

export async function listWebhookDeliveries(
  deps: AppDeps,
  id: string,
  q: { limit: number; cursor: string | null; status?: DeliveryStatus | undefined },
): Promise<{ deliveries: DeliveryWithAttempts[]; nextCursor: string | null }> {
  await getWebhook(deps, id);
  const page = await webhookStore(deps).listDeliveries(id, q);
  return { deliveries: page.items, nextCursor: page.nextCursor };
}

/** Schedules a delivery again, now, whatever became of it; the dispatcher is kicked at once. */
export async function retryWebhookDelivery(
  deps: AppDeps,
  id: string,
  deliveryId: string,
): Promise<DeliveryWithAttempts> {
  const webhook = await getWebhook(deps, id);
  if (!webhook.enabled) {
    throw new DomainError('CONFLICT', {}, { reason: 'webhook disabled', disabledReason: webhook.disabledReason });
  }
  const store = webhookStore(deps);
  const result = await store.retryDelivery(id, deliveryId, nowIso(deps));
  if (result === 'not_found') throw new DomainError('NOT_FOUND', {}, { id: deliveryId });
  if (result === 'in_flight') throw new DomainError('CONFLICT', {}, { reason: 'delivery attempt in progress' });
  deps.onEvents();
  const delivery = await store.getDelivery(id, deliveryId);
  if (!delivery) throw new DomainError('NOT_FOUND', {}, { id: deliveryId });
  return delivery;
}
