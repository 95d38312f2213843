import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { migrateToLatest } from '../../src/db/migrate.ts';
import { type DbHandle, Store } from '../../src/db/store.ts';
import { WebhookStore } from '../../src/db/webhook-store.ts';
import { ulid } from '../../src/lib/ids.ts';
import { openDatabase } from '../../src/runtime/node-db.ts';
import { freshPostgresDatabase } from '../helpers/postgres.ts';
import { ManualClock } from '../helpers/service.ts';

interface Backend {
  handle: DbHandle;
  cleanup(): Promise<void>;
}

const BACKENDS: Record<string, () => Promise<Backend>> = {
  sqlite: async () => {
    const dir = mkdtempSync(join(tmpdir(), 'duyet-webhook-store-'));
    const handle = openDatabase(`file:${join(dir, 'db.sqlite')}`);
    return {
      handle,
      async cleanup() {
        await handle.close();
        rmSync(dir, { recursive: true, force: true });
      },
    };
  },
  postgres: async () => {
    const database = await freshPostgresDatabase();
    const handle = openDatabase(database.url, { poolSize: 8 });
    return {
      handle,
      async cleanup() {
        await handle.close();
        await database.drop();
      },
    };
  },
};

// The same contract on every database the service runs on.
describe.each(Object.keys(BACKENDS))('webhook store on %s', (name) => {
  const clock = new ManualClock();
  let backend: Backend;
  let store: Store;
  let webhooks: WebhookStore;
  const iso = (offsetMs = 0) => new Date(clock.now().getTime() + offsetMs).toISOString();

  beforeAll(async () => {
    const open = BACKENDS[name];
    if (!open) throw new Error(name);
    backend = await open();
    await migrateToLatest(backend.handle.db);
    store = new Store(backend.handle, clock);
    webhooks = new WebhookStore(backend.handle);
  });
  afterAll(async () => {
    await backend.cleanup();
  });

  async function endpointWithDeliveries(n: number): Promise<string> {
    await backend.handle.db.deleteFrom('webhook_deliveries').execute();
    const id = ulid();
    await webhooks.createEndpoint(
      { id, url: 'https://hooks.example.com/', description: null, events: ['*'], secretEnc: 'v1.a.b' },
      iso(),
    );
    for (let i = 0; i < n; i++) {
      await store.runWrites(store.eventWrites('comment.approved', null, { by: 'auto' }, iso()));
    }
    // Other endpoints' deliveries from earlier tests would otherwise be claimed too.
    await backend.handle.db.deleteFrom('webhook_deliveries').where('webhook_id', '!=', id).execute();
    return id;
  }

  it('claims each due delivery exactly once across concurrent workers', async () => {
    await endpointWithDeliveries(24);
    const claims = await Promise.all(
      Array.from({ length: 4 }, (_, i) =>
        webhooks.claimDue({ leaseOwner: `worker-${i}`, now: iso(), leaseUntil: iso(60_000), limit: 6 }),
      ),
    );
    const ids = claims.flat().map((c) => c.id);
    expect(ids).toHaveLength(24);
    expect(new Set(ids).size).toBe(24);
    expect(await webhooks.claimDue({ leaseOwner: 'late', now: iso(), leaseUntil: iso(60_000), limit: 50 })).toEqual([]);
  });

  it('claims a delivery again only after its lease expires', async () => {
    await endpointWithDeliveries(1);
    const [first] = await webhooks.claimDue({ leaseOwner: 'a', now: iso(), leaseUntil: iso(60_000), limit: 5 });
    expect(first).toBeDefined();
    expect(await webhooks.claimDue({ leaseOwner: 'b', now: iso(59_999), leaseUntil: iso(120_000), limit: 5 })).toEqual(
      [],
    );
    const [again] = await webhooks.claimDue({ leaseOwner: 'b', now: iso(60_001), leaseUntil: iso(120_000), limit: 5 });
    expect(again?.id).toBe(first?.id);
    if (!first || !again) throw new Error('unreachable');
    expect(await webhooks.finishDelivery(first, { status: 'succeeded', statusCode: 200, error: null }, iso())).toBe(
      false,
    );
    expect(await webhooks.finishDelivery(again, { status: 'succeeded', statusCode: 200, error: null }, iso())).toBe(
      true,
    );
  });

  it('does not claim deliveries scheduled for later', async () => {
    const webhookId = await endpointWithDeliveries(1);
    const [claim] = await webhooks.claimDue({ leaseOwner: 'a', now: iso(), leaseUntil: iso(60_000), limit: 5 });
    if (!claim) throw new Error('nothing claimed');
    await webhooks.finishDelivery(
      claim,
      { status: 'pending', nextAttemptAt: iso(5_000), statusCode: 503, error: 'HTTP 503' },
      iso(),
    );
    expect(await webhooks.claimDue({ leaseOwner: 'b', now: iso(4_999), leaseUntil: iso(60_000), limit: 5 })).toEqual(
      [],
    );
    const [later] = await webhooks.claimDue({ leaseOwner: 'b', now: iso(5_000), leaseUntil: iso(60_000), limit: 5 });
    expect(later).toMatchObject({ id: claim.id, webhookId, attemptsDone: 1 });
  });

  it('keeps the first failure time of a streak and clears it on success', async () => {
    const webhookId = await endpointWithDeliveries(0);
    expect(await webhooks.markEndpointFailing(webhookId, iso())).toBe(iso());
    expect(await webhooks.markEndpointFailing(webhookId, iso(60_000))).toBe(iso());
    await webhooks.markEndpointHealthy(webhookId);
    expect((await webhooks.getEndpoint(webhookId, iso()))?.failingSince).toBeNull();
  });

  it('moves the current secret to previous in one statement on rotation', async () => {
    const webhookId = await endpointWithDeliveries(0);
    expect(await webhooks.rotateSecret(webhookId, 'v1.new.secret', iso(86_400_000), iso())).toBe(true);
    const [endpoint] = [...(await webhooks.getEndpointsForDelivery([webhookId], iso())).values()];
    expect(endpoint).toMatchObject({ secretEnc: 'v1.new.secret', previousSecretEnc: 'v1.a.b' });
    const [later] = [...(await webhooks.getEndpointsForDelivery([webhookId], iso(86_400_001))).values()];
    expect(later).toMatchObject({ secretEnc: 'v1.new.secret', previousSecretEnc: null });
  });

  it('cancels pending deliveries when an endpoint is disabled', async () => {
    const webhookId = await endpointWithDeliveries(2);
    expect(await webhooks.disableEndpoint(webhookId, 'RECEIVER_GONE', iso())).toBe(true);
    expect(await webhooks.disableEndpoint(webhookId, 'RECEIVER_GONE', iso())).toBe(false);
    const page = await webhooks.listDeliveries(webhookId, { limit: 10, cursor: null });
    expect(page.items.map((d) => d.status)).toEqual(['cancelled', 'cancelled']);
  });
});
