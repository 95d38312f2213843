import { type CompiledQuery, type Kysely, type QueryResult, type Selectable, sql } from 'kysely';
import { DomainError } from '../core/errors.ts';
import type { Database, WebhookAttemptsTable, WebhookDeliveriesTable, WebhooksTable } from './schema.ts';
import { completeAttemptUnit } from './sqlite-hot.ts';
import type { LocalSqlite } from './sqlite-local.ts';
import type { Dialect } from './store.ts';

/**
 * Webhook endpoints, deliveries and attempts: the only place with webhook SQL. Every state change is
 * one guarded statement (no multi-statement transaction is needed for correctness), so the same code
 * is safe on SQLite, PostgreSQL with several instances, and D1, which has no transactions.
 */

export type DeliveryStatus = 'pending' | 'succeeded' | 'failed' | 'cancelled';

/** An endpoint as admins see it: never its secret. */
export interface WebhookEndpoint {
  id: string;
  url: string;
  description: string | null;
  events: string[];
  enabled: boolean;
  /** Why delivery stopped: `RECEIVER_GONE` (it answered 410) or `FAILING_TOO_LONG`. */
  disabledReason: string | null;
  /** Start of the current run of failed attempts; null once an attempt succeeds. */
  failingSince: string | null;
  /** Until when the previous secret still signs, after a rotation. */
  previousSecretExpiresAt: string | null;
  createdAt: string;
  updatedAt: string;
}

/** An endpoint with its sealed secrets, for signing. */
export interface EndpointForDelivery extends WebhookEndpoint {
  secretEnc: string;
  previousSecretEnc: string | null;
}

export interface DeliveryAttempt {
  id: string;
  at: string;
  statusCode: number | null;
  durationMs: number;
  error: string | null;
  responseExcerpt: string | null;
}

export interface Delivery {
  id: string;
  webhookId: string;
  /** Also the `webhook-id` header. */
  eventId: string;
  eventType: string | null;
  status: DeliveryStatus;
  attemptCount: number;
  nextAttemptAt: string;
  lastStatusCode: number | null;
  lastError: string | null;
  createdAt: string;
  updatedAt: string;
}

export interface DeliveryWithAttempts extends Delivery {
  attempts: DeliveryAttempt[];
}

/** A delivery this worker holds until `leaseUntil`; only the holder of `leaseOwner` may complete it. */
export interface ClaimedDelivery {
  id: string;
  webhookId: string;
  eventId: string;
  attemptsDone: number;
  leaseOwner: string;
  leaseUntil: string;
}

export interface NewEndpoint {
  id: string;
  url: string;
  description: string | null;
  events: string[];
  secretEnc: string;
}

export interface AttemptRecord {
  id: string;
  deliveryId: string;
  webhookId: string;
  at: string;
  statusCode: number | null;
  durationMs: number;
  error: string | null;
  responseExcerpt: string | null;
}

export interface DeliveryOutcome {
  status: DeliveryStatus;
  /** When to try again (status `pending`). */
  nextAttemptAt?: string;
  statusCode: number | null;
  error: string | null;
}

export type RetryResult = 'scheduled' | 'not_found' | 'in_flight';

function toEndpoint(row: Selectable<WebhooksTable>, now?: string): WebhookEndpoint {
  const rotating = row.previous_secret_enc !== null && row.previous_secret_until !== null;
  const stillSigning = rotating && (now === undefined || (row.previous_secret_until ?? '') > now);
  return {
    id: row.id,
    url: row.url,
    description: row.description,
    events: parseEvents(row.events),
    enabled: Number(row.enabled) === 1,
    disabledReason: row.disabled_reason,
    failingSince: row.failing_since,
    previousSecretExpiresAt: stillSigning ? row.previous_secret_until : null,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
}

function parseEvents(text: string): string[] {
  try {
    const value: unknown = JSON.parse(text);
    return Array.isArray(value) ? value.filter((v): v is string => typeof v === 'string') : [];
  } catch {
    return [];
  }
}

function toAttempt(row: Selectable<WebhookAttemptsTable>): DeliveryAttempt {
  return {
    id: row.id,
    at: row.at,
    statusCode: row.status_code === null ? null : Number(row.status_code),
    durationMs: Number(row.duration_ms),
    error: row.error,
    responseExcerpt: row.response_excerpt,
  };
}

function toDelivery(row: Selectable<WebhookDeliveriesTable> & { event_type?: string | null }): Delivery {
  return {
    id: row.id,
    webhookId: row.webhook_id,
    eventId: row.event_id,
    eventType: row.event_type ?? null,
    status: row.status as DeliveryStatus,
    attemptCount: Number(row.attempts),
    nextAttemptAt: row.next_attempt_at,
    lastStatusCode: row.last_status_code === null ? null : Number(row.last_status_code),
    lastError: row.last_error,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
}

/** Delivery ids are `msg_<ULID>.<ULID>`; cursors carry one, opaquely. */
const DELIVERY_ID = /^msg_[0-9A-Z]{26}\.[0-9A-Z]{26}$/;

export function isDeliveryId(id: string): boolean {
  return DELIVERY_ID.test(id);
}

function encodeDeliveryCursor(id: string): string {
  return btoa(id).replace(/=+$/, '');
}

function decodeDeliveryCursor(cursor: string): string {
  try {
    const id = atob(cursor);
    if (DELIVERY_ID.test(id)) return id;
  } catch {
    // fall through
  }
  throw new DomainError('VALIDATION_FAILED', {}, { field: 'cursor', problem: 'invalid cursor' });
}

function attemptRow(a: AttemptRecord): Selectable<WebhookAttemptsTable> {
  return {
    id: a.id,
    delivery_id: a.deliveryId,
    webhook_id: a.webhookId,
    at: a.at,
    status_code: a.statusCode,
    duration_ms: a.durationMs,
    error: a.error,
    response_excerpt: a.responseExcerpt,
  };
}

export class WebhookStore {
  readonly db: Kysely<Database>;
  readonly dialect: Dialect;
  private readonly atomic: ((writes: CompiledQuery[]) => Promise<QueryResult<unknown>[]>) | null;
  private readonly local: LocalSqlite | null;

  /**
   * `handle` is the Store (whose `runWrites` makes several writes one atomic unit: a transaction, or a
   * D1 batch) or a bare database handle (a transaction is used; not on D1).
   */
  constructor(handle: {
    db: Kysely<Database>;
    dialect: Dialect;
    runWrites?: (writes: CompiledQuery[]) => Promise<QueryResult<unknown>[]>;
    localSqlite?: LocalSqlite | null;
  }) {
    this.db = handle.db;
    this.dialect = handle.dialect;
    this.local = handle.localSqlite ?? null;
    const run = handle.runWrites;
    this.atomic = run ? (writes) => run.call(handle, writes) : null;
  }

  private async runAtomically(writes: CompiledQuery[]): Promise<QueryResult<unknown>[]> {
    if (this.atomic) return this.atomic(writes);
    return this.db.transaction().execute(async (trx) => {
      const results: QueryResult<unknown>[] = [];
      for (const q of writes) results.push(await trx.executeQuery(q));
      return results;
    });
  }

  // ---------------------------------------------------------------- endpoints

  async createEndpoint(e: NewEndpoint, now: string): Promise<WebhookEndpoint> {
    const row = await this.db
      .insertInto('webhooks')
      .values({
        id: e.id,
        url: e.url,
        description: e.description,
        events: JSON.stringify(e.events),
        secret_enc: e.secretEnc,
        previous_secret_enc: null,
        previous_secret_until: null,
        enabled: 1,
        disabled_reason: null,
        failing_since: null,
        created_at: now,
        updated_at: now,
      })
      .returningAll()
      .executeTakeFirstOrThrow();
    return toEndpoint(row, now);
  }

  async listEndpoints(now: string): Promise<WebhookEndpoint[]> {
    const rows = await this.db.selectFrom('webhooks').selectAll().orderBy('id', 'asc').execute();
    return rows.map((r) => toEndpoint(r, now));
  }

  async getEndpoint(id: string, now: string): Promise<WebhookEndpoint | null> {
    const row = await this.db.selectFrom('webhooks').selectAll().where('id', '=', id).executeTakeFirst();
    return row ? toEndpoint(row, now) : null;
  }

  /** Endpoints with their sealed secrets; the previous secret only while it still signs. */
  async getEndpointsForDelivery(ids: readonly string[], now: string): Promise<Map<string, EndpointForDelivery>> {
    const out = new Map<string, EndpointForDelivery>();
    if (ids.length === 0) return out;
    const rows = await this.db
      .selectFrom('webhooks')
      .selectAll()
      .where('id', 'in', [...new Set(ids)])
      .execute();
    for (const row of rows) {
      const endpoint = toEndpoint(row, now);
      out.set(row.id, {
        ...endpoint,
        secretEnc: row.secret_enc,
        previousSecretEnc: endpoint.previousSecretExpiresAt ? row.previous_secret_enc : null,
      });
    }
    return out;
  }

  /**
   * Deletes an endpoint and its log. A process dying half-way leaves only orphan deliveries, which the
   * dispatcher cancels when it finds no endpoint for them.
   */
  async deleteEndpoint(id: string): Promise<boolean> {
    const res = await this.db.deleteFrom('webhooks').where('id', '=', id).executeTakeFirst();
    if (Number(res.numDeletedRows) === 0) return false;
    await this.db.deleteFrom('webhook_deliveries').where('webhook_id', '=', id).execute();
    await this.db.deleteFrom('webhook_attempts').where('webhook_id', '=', id).execute();
    return true;
  }

  /**
   * Makes `secretEnc` the signing secret and keeps the current one signing until `previousUntil`. One
   * statement: SET expressions read the row as it was, so the old secret moves over atomically.
   */
  async rotateSecret(id: string, secretEnc: string, previousUntil: string, now: string): Promise<boolean> {
    const res = await this.db
      .updateTable('webhooks')
      .set((eb) => ({
        previous_secret_enc: eb.ref('secret_enc'),
        previous_secret_until: previousUntil,
        secret_enc: secretEnc,
        updated_at: now,
      }))
      .where('id', '=', id)
      .executeTakeFirst();
    return Number(res.numUpdatedRows) > 0;
  }

  /** Turns an endpoint back on after it was disabled; its failure streak starts afresh. */
  async enableEndpoint(id: string, now: string): Promise<boolean> {
    const res = await this.db
      .updateTable('webhooks')
      .set({ enabled: 1, disabled_reason: null, failing_since: null, updated_at: now })
      .where('id', '=', id)
      .executeTakeFirst();
    return Number(res.numUpdatedRows) > 0;
  }

  /** Stops delivery to an endpoint and cancels what it still had pending. False when it was already off. */
  async disableEndpoint(id: string, reason: string, now: string): Promise<boolean> {
    const res = await this.db
      .updateTable('webhooks')
      .set({ enabled: 0, disabled_reason: reason, updated_at: now })
      .where('id', '=', id)
      .where('enabled', '=', 1)
      .executeTakeFirst();
    if (Number(res.numUpdatedRows) === 0) return false;
    await this.db
      .updateTable('webhook_deliveries')
      .set({ status: 'cancelled', last_error: `endpoint disabled: ${reason}`, updated_at: now })
      .where('webhook_id', '=', id)
      .where('status', '=', 'pending')
      .execute();
    return true;
  }

  /** Records a failed attempt on the endpoint's streak; returns when the streak started. */
  async markEndpointFailing(id: string, now: string): Promise<string | null> {
    const row = await this.db
      .updateTable('webhooks')
      .set({ failing_since: sql<string>`coalesce(failing_since, ${now})` })
      .where('id', '=', id)
      .returning('failing_since')
      .executeTakeFirst();
    return row?.failing_since ?? null;
  }

  async markEndpointHealthy(id: string): Promise<void> {
    await this.db
      .updateTable('webhooks')
      .set({ failing_since: null })
      .where('id', '=', id)
      .where('failing_since', 'is not', null)
      .execute();
  }

  // ---------------------------------------------------------------- deliveries

  /** An endpoint's deliveries, newest first, each with every attempt (oldest first). */
  async listDeliveries(
    webhookId: string,
    q: { limit: number; cursor: string | null; status?: DeliveryStatus | undefined },
  ): Promise<{ items: DeliveryWithAttempts[]; nextCursor: string | null }> {
    let query = this.db
      .selectFrom('webhook_deliveries as d')
      .leftJoin('webhook_events as e', 'e.id', 'd.event_id')
      .selectAll('d')
      .select('e.type as event_type')
      .where('d.webhook_id', '=', webhookId);
    if (q.status) query = query.where('d.status', '=', q.status);
    if (q.cursor) query = query.where('d.id', '<', decodeDeliveryCursor(q.cursor));
    const rows = await query
      .orderBy('d.id', 'desc')
      .limit(q.limit + 1)
      .execute();
    const more = rows.length > q.limit;
    const page = (more ? rows.slice(0, q.limit) : rows).map(toDelivery);
    const attempts = await this.attemptsOf(page.map((d) => d.id));
    const last = page[page.length - 1];
    return {
      items: page.map((d) => ({ ...d, attempts: attempts.get(d.id) ?? [] })),
      nextCursor: more && last ? encodeDeliveryCursor(last.id) : null,
    };
  }

  async getDelivery(webhookId: string, deliveryId: string): Promise<DeliveryWithAttempts | null> {
    const row = await this.db
      .selectFrom('webhook_deliveries as d')
      .leftJoin('webhook_events as e', 'e.id', 'd.event_id')
      .selectAll('d')
      .select('e.type as event_type')
      .where('d.id', '=', deliveryId)
      .where('d.webhook_id', '=', webhookId)
      .executeTakeFirst();
    if (!row) return null;
    const delivery = toDelivery(row);
    return { ...delivery, attempts: (await this.attemptsOf([delivery.id])).get(delivery.id) ?? [] };
  }

  private async attemptsOf(deliveryIds: string[]): Promise<Map<string, DeliveryAttempt[]>> {
    const out = new Map<string, DeliveryAttempt[]>();
    if (deliveryIds.length === 0) return out;
    const rows = await this.db
      .selectFrom('webhook_attempts')
      .selectAll()
      .where('delivery_id', 'in', deliveryIds)
      .orderBy('id', 'asc')
      .execute();
    for (const row of rows) {
      const list = out.get(row.delivery_id) ?? [];
      list.push(toAttempt(row));
      out.set(row.delivery_id, list);
    }
    return out;
  }

  /**
   * Leases up to `limit` due deliveries to `leaseOwner` until `leaseUntil`, in one statement. A delivery
   * whose lease expired (its worker died mid-attempt) is due again, which makes delivery at least once.
   * On PostgreSQL, `FOR UPDATE SKIP LOCKED` lets several instances claim at once without waiting on or
   * double-claiming each other's rows; on SQLite the statement runs alone (one writer at a time).
   */
  async claimDue(q: {
    leaseOwner: string;
    now: string;
    leaseUntil: string;
    limit: number;
  }): Promise<ClaimedDelivery[]> {
    const due = this.db
      .selectFrom('webhook_deliveries')
      .select('id')
      .where('status', '=', 'pending')
      .where('next_attempt_at', '<=', q.now)
      .where((eb) => eb.or([eb('lease_until', 'is', null), eb('lease_until', '<', q.now)]))
      .orderBy('next_attempt_at', 'asc')
      .limit(q.limit)
      .$if(this.dialect === 'postgres', (qb) => qb.forUpdate().skipLocked());
    const rows = await this.db
      .updateTable('webhook_deliveries')
      .set({ lease_owner: q.leaseOwner, lease_until: q.leaseUntil })
      .where('id', 'in', due)
      // On PostgreSQL repeated, so that a row changed between the subquery and the update (it re-checks
      // the outer condition on the newest row version) is not claimed twice. SQLite and D1 run the
      // statement as one atomic step, and given those conditions SQLite would scan every pending
      // delivery by the status index instead of finding the few claimed ones by id.
      .$if(this.dialect === 'postgres', (qb) =>
        qb
          .where('status', '=', 'pending')
          .where((eb) => eb.or([eb('lease_until', 'is', null), eb('lease_until', '<', q.now)])),
      )
      .returningAll()
      .execute();
    return rows
      .map((r) => ({
        id: r.id,
        webhookId: r.webhook_id,
        eventId: r.event_id,
        attemptsDone: Number(r.attempts),
        leaseOwner: q.leaseOwner,
        leaseUntil: q.leaseUntil,
      }))
      .sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  }

  /** Payloads of events, fixed when they were recorded. */
  async getEvents(ids: readonly string[]): Promise<Map<string, { type: string; payload: string }>> {
    const out = new Map<string, { type: string; payload: string }>();
    if (ids.length === 0) return out;
    const rows = await this.db
      .selectFrom('webhook_events')
      .select(['id', 'type', 'payload'])
      .where('id', 'in', [...new Set(ids)])
      .execute();
    for (const r of rows) out.set(r.id, { type: r.type, payload: r.payload });
    return out;
  }

  private attemptInsert(a: AttemptRecord) {
    return this.db.insertInto('webhook_attempts').values(attemptRow(a));
  }

  /**
   * An attempt's log row and its delivery's new state (see {@link finishDelivery}) in one atomic write:
   * one commit per attempt instead of two, and never a logged attempt whose outcome is missing.
   * Resolves with whether the lease was still ours (the attempt row is written either way).
   */
  async completeAttempt(a: AttemptRecord, claim: ClaimedDelivery, outcome: DeliveryOutcome, now: string) {
    // On the process's own SQLite connection it joins the next group commit, with the comments being
    // posted meanwhile: a busy receiver costs one shared commit per batch, not one per attempt.
    if (this.local) {
      const changed = await this.local.write((db) =>
        completeAttemptUnit(db, attemptRow(a), {
          id: claim.id,
          lease_owner: claim.leaseOwner,
          status: outcome.status,
          next_attempt_at: outcome.nextAttemptAt ?? null,
          last_status_code: outcome.statusCode,
          last_error: outcome.error,
          updated_at: now,
        }),
      );
      return changed > 0;
    }
    const [, update] = await this.runAtomically([
      this.attemptInsert(a).compile(),
      this.finishUpdate(claim, outcome, now, true).compile(),
    ]);
    return Number(update?.numAffectedRows ?? 0) > 0;
  }

  /**
   * Completes or reschedules a claimed delivery and releases its lease. Guarded by the lease owner: a
   * worker whose lease expired and was re-claimed by another cannot overwrite the newer state.
   * `attempted` counts the attempt (false when a delivery is cancelled without sending).
   */
  async finishDelivery(
    claim: ClaimedDelivery,
    outcome: DeliveryOutcome,
    now: string,
    attempted = true,
  ): Promise<boolean> {
    const res = await this.finishUpdate(claim, outcome, now, attempted).executeTakeFirst();
    return Number(res.numUpdatedRows) > 0;
  }

  private finishUpdate(claim: ClaimedDelivery, outcome: DeliveryOutcome, now: string, attempted: boolean) {
    return this.db
      .updateTable('webhook_deliveries')
      .set((eb) => ({
        status: outcome.status,
        attempts: attempted ? eb('attempts', '+', 1) : eb.ref('attempts'),
        ...(outcome.nextAttemptAt ? { next_attempt_at: outcome.nextAttemptAt } : {}),
        lease_owner: null,
        lease_until: null,
        last_status_code: outcome.statusCode,
        last_error: outcome.error,
        updated_at: now,
      }))
      .where('id', '=', claim.id)
      .where('lease_owner', '=', claim.leaseOwner);
  }

  /**
   * A retry by hand: the delivery becomes pending and due now, whatever its status. Refused while an
   * attempt holds a live lease, so a manual retry never races the attempt in flight.
   */
  async retryDelivery(webhookId: string, deliveryId: string, now: string): Promise<RetryResult> {
    const res = await this.db
      .updateTable('webhook_deliveries')
      .set({ status: 'pending', next_attempt_at: now, lease_owner: null, lease_until: null, updated_at: now })
      .where('id', '=', deliveryId)
      .where('webhook_id', '=', webhookId)
      .where((eb) => eb.or([eb('lease_until', 'is', null), eb('lease_until', '<', now)]))
      .executeTakeFirst();
    if (Number(res.numUpdatedRows) > 0) return 'scheduled';
    const exists = await this.db
      .selectFrom('webhook_deliveries')
      .select('id')
      .where('id', '=', deliveryId)
      .where('webhook_id', '=', webhookId)
      .executeTakeFirst();
    return exists ? 'in_flight' : 'not_found';
  }
}
