import type { Clock } from '../core/types.ts';
import type { ClaimedDelivery, EndpointForDelivery, WebhookStore } from '../db/webhook-store.ts';
import type { Sealer } from '../lib/crypto.ts';
import { ulid } from '../lib/ids.ts';
import type { Logger } from '../lib/logger.ts';
import { parseRetryAfter, retryDelay } from './backoff.ts';
import { type HmacKey, type HmacKeyFactory, signedHeaders, signingKey } from './signing.ts';
import type { UrlGuard } from './ssrf.ts';
import { type WebhookResponse, WebhookSendError, type WebhookTransport } from './transport.ts';

/** The Standard Webhooks timeout: a receiver should answer quickly and do its work afterwards. */
export const DEFAULT_TIMEOUT_MS = 10_000;

/** An endpoint failing every attempt for this long is disabled (and shown so) rather than retried forever. */
export const DISABLE_AFTER_FAILING_MS = 5 * 24 * 60 * 60 * 1000;

/** Poll for due retries this often; new events do not wait for it (`kick`). */
export const DEFAULT_POLL_MS = 2_000;

export const DISABLED_GONE = 'RECEIVER_GONE';
export const DISABLED_FAILING = 'FAILING_TOO_LONG';

export interface DispatcherOptions {
  webhookStore: WebhookStore;
  transport: WebhookTransport;
  guard: UrlGuard;
  sealer: Sealer;
  clock: Clock;
  logger: Logger;
  /** Delays between attempts in ms (WEBHOOK_RETRY_SCHEDULE). */
  schedule: readonly number[];
  /** Identifies this process in leases (e.g. host + pid); each claim adds a unique suffix. */
  owner: string;
  batchSize?: number;
  /** How long a claimed delivery is ours; must exceed the send timeout, or a slow attempt is claimed twice. */
  leaseMs?: number;
  timeoutMs?: number;
  pollMs?: number;
  /**
   * Requests the process is answering now. While more than `yieldAbove` wait, delivery gives way to
   * them for up to `maxDeferMs` of continuous pressure (default 10 s), then goes on regardless: a
   * burst of readers is answered first and its webhooks follow within seconds.
   */
  foreground?: () => number;
  yieldAbove?: number;
  maxDeferMs?: number;
  /** HMAC for signatures; Web Crypto unless the runtime gives a faster one. */
  hmac?: HmacKeyFactory;
  /** [0, 1) source for retry jitter; injected so tests can pin it. */
  random?: () => number;
}

export interface Dispatcher {
  /** Deliver due work soon. Kicks while a run is going coalesce into one more run. */
  kick(): void;
  /** Claims and delivers one batch; resolves with how many deliveries it attempted. */
  runOnce(): Promise<number>;
  /** Starts polling for due retries (and delivers any backlog left by a previous process). */
  start(): void;
  /** Stops polling and waits for deliveries in flight. */
  stop(): Promise<void>;
}

type Attempt =
  | { kind: 'response'; response: WebhookResponse }
  | { kind: 'error'; error: string; durationMs: number; statusCode?: undefined };

/**
 * The background delivery loop over the outbox (webhook_deliveries). Decisions never wait for it:
 * the event is already stored with the decision, this loop only moves it to the receiver.
 */
export function createDispatcher(o: DispatcherOptions): Dispatcher {
  const batchSize = o.batchSize ?? 20;
  const timeoutMs = o.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  const leaseMs = o.leaseMs ?? Math.max(60_000, timeoutMs * 3);
  const pollMs = o.pollMs ?? DEFAULT_POLL_MS;
  const random = o.random ?? Math.random;
  const store = o.webhookStore;
  const log = o.logger.child({ component: 'webhooks' });

  let started = false;
  let timer: ReturnType<typeof setTimeout> | null = null;
  let pumping: Promise<void> | null = null;
  let again = false;
  const inFlight = new Set<Promise<unknown>>();
  const yieldAbove = o.yieldAbove ?? 8;
  const maxDeferMs = o.maxDeferMs ?? 10_000;
  /** Since when (ms, monotonic) readers have kept more than `yieldAbove` requests waiting. */
  let pressuredSince: number | null = null;

  /** Waits while readers are many, but never more than `maxDeferMs` into one stretch of pressure. */
  async function giveWay(): Promise<void> {
    const foreground = o.foreground;
    if (!foreground) return;
    for (;;) {
      if (!started || foreground() <= yieldAbove) {
        pressuredSince = null;
        return;
      }
      const now = performance.now();
      pressuredSince ??= now;
      if (now - pressuredSince >= maxDeferMs) return;
      await new Promise((r) => setTimeout(r, 20));
    }
  }

  const nowIso = () => o.clock.now().toISOString();

  /**
   * Signing keys by sealed secret: unsealing (AES-GCM) and importing the HMAC key once per secret,
   * not once per delivery. A rotated secret is a new sealed value, hence a new entry; the map is
   * bounded.
   */
  const keys = new Map<string, Promise<HmacKey>>();
  function keyFor(sealed: string): Promise<HmacKey> {
    let key = keys.get(sealed);
    if (!key) {
      if (keys.size >= 256) keys.clear();
      key = o.sealer.open(sealed).then((secret) => signingKey(secret, o.hmac));
      // A failure is not kept: the next attempt unseals again.
      key.catch(() => keys.delete(sealed));
      keys.set(sealed, key);
    }
    return key;
  }

  async function send(endpoint: EndpointForDelivery, msgId: string, body: string): Promise<Attempt> {
    const allowed = await o.guard.check(endpoint.url);
    if (!allowed.ok) return { kind: 'error', error: `WEBHOOK_URL_FORBIDDEN: ${allowed.reason}`, durationMs: 0 };
    const secrets = [await keyFor(endpoint.secretEnc)];
    if (endpoint.previousSecretEnc) secrets.push(await keyFor(endpoint.previousSecretEnc));
    const headers = await signedHeaders(secrets, msgId, o.clock.now(), body);
    try {
      const response = await o.transport.send({
        url: endpoint.url,
        headers: {
          'content-type': 'application/json',
          'user-agent': 'Duyet-Webhooks/1',
          ...headers,
        },
        body,
        timeoutMs,
      });
      return { kind: 'response', response };
    } catch (err) {
      if (err instanceof WebhookSendError) {
        return { kind: 'error', error: `${err.kind}: ${err.message}`, durationMs: err.durationMs };
      }
      return { kind: 'error', error: `NETWORK: ${err instanceof Error ? err.message : String(err)}`, durationMs: 0 };
    }
  }

  async function deliver(
    claim: ClaimedDelivery,
    endpoint: EndpointForDelivery | undefined,
    event: { payload: string } | undefined,
  ): Promise<void> {
    if (!endpoint?.enabled || !event) {
      const why = !endpoint ? 'endpoint deleted' : !event ? 'event missing' : 'endpoint disabled';
      await store.finishDelivery(claim, { status: 'cancelled', statusCode: null, error: why }, nowIso(), false);
      return;
    }
    const attemptAt = nowIso();
    const result = await send(endpoint, claim.eventId, event.payload);
    const now = o.clock.now();
    const status = result.kind === 'response' ? result.response.status : null;
    const ok = status !== null && status >= 200 && status < 300;
    let error: string | null = null;
    if (result.kind === 'error') error = result.error;
    else if (!ok)
      error = status !== null && status >= 300 && status < 400 ? `redirect ${status} not followed` : `HTTP ${status}`;

    const attempt = {
      id: ulid(now.getTime()),
      deliveryId: claim.id,
      webhookId: claim.webhookId,
      at: attemptAt,
      statusCode: status,
      durationMs: result.kind === 'response' ? result.response.durationMs : result.durationMs,
      error,
      responseExcerpt: result.kind === 'response' ? result.response.bodyExcerpt : null,
    };

    const iso = now.toISOString();
    if (ok) {
      await store.completeAttempt(attempt, claim, { status: 'succeeded', statusCode: status, error: null }, iso);
      // Only an endpoint seen failing has anything to clear.
      if (endpoint.failingSince !== null) await store.markEndpointHealthy(claim.webhookId);
      return;
    }
    if (status === 410) {
      // 410 Gone is the receiver saying the endpoint no longer exists: stop, do not retry.
      await store.completeAttempt(attempt, claim, { status: 'failed', statusCode: status, error }, iso);
      if (await store.disableEndpoint(claim.webhookId, DISABLED_GONE, iso)) {
        log.warn('webhook endpoint disabled: receiver answered 410', { webhookId: claim.webhookId });
      }
      return;
    }
    const retryAfter = result.kind === 'response' ? parseRetryAfter(result.response.headers['retry-after'], now) : null;
    const delay = retryDelay(o.schedule, claim.attemptsDone + 1, random, retryAfter);
    if (delay === null) {
      await store.completeAttempt(attempt, claim, { status: 'failed', statusCode: status, error }, iso);
      log.warn('webhook delivery failed for good', { deliveryId: claim.id, attempts: claim.attemptsDone + 1, error });
    } else {
      const nextAttemptAt = new Date(now.getTime() + delay).toISOString();
      await store.completeAttempt(attempt, claim, { status: 'pending', nextAttemptAt, statusCode: status, error }, iso);
    }
    const failingSince = await store.markEndpointFailing(claim.webhookId, iso);
    if (failingSince && now.getTime() - Date.parse(failingSince) >= DISABLE_AFTER_FAILING_MS) {
      if (await store.disableEndpoint(claim.webhookId, DISABLED_FAILING, iso)) {
        log.warn('webhook endpoint disabled: failing for 5 days', { webhookId: claim.webhookId, failingSince });
      }
    }
  }

  async function runOnce(): Promise<number> {
    const now = o.clock.now();
    const claims = await store.claimDue({
      leaseOwner: `${o.owner}/${ulid(now.getTime())}`,
      now: now.toISOString(),
      leaseUntil: new Date(now.getTime() + leaseMs).toISOString(),
      limit: batchSize,
    });
    if (claims.length === 0) return 0;
    const nowIsoValue = now.toISOString();
    const [endpoints, events] = await Promise.all([
      store.getEndpointsForDelivery(
        claims.map((c) => c.webhookId),
        nowIsoValue,
      ),
      store.getEvents(claims.map((c) => c.eventId)),
    ]);
    await Promise.all(
      claims.map((claim) =>
        deliver(claim, endpoints.get(claim.webhookId), events.get(claim.eventId)).catch((err: unknown) => {
          // The lease expires and the delivery is claimed again: a failure here delays, never loses.
          log.error('webhook delivery crashed', { deliveryId: claim.id, err });
        }),
      ),
    );
    return claims.length;
  }

  function track<T>(task: Promise<T>): Promise<T> {
    inFlight.add(task);
    const done = () => inFlight.delete(task);
    task.then(done, done);
    return task;
  }

  /** Runs batches until the due work is drained; one pump at a time. */
  function pump(): void {
    if (!started) return;
    if (pumping) {
      again = true;
      return;
    }
    pumping = track(
      (async () => {
        do {
          again = false;
          try {
            for (;;) {
              await giveWay();
              // a full batch: there may be more due
              if (!started || (await runOnce()) < batchSize) break;
            }
          } catch (err) {
            log.error('webhook dispatcher run failed', { err });
          }
        } while (again && started);
      })().finally(() => {
        pumping = null;
      }),
    );
  }

  function schedulePoll(): void {
    if (!started) return;
    timer = setTimeout(() => {
      pump();
      schedulePoll();
    }, pollMs);
    (timer as { unref?: () => void }).unref?.();
  }

  return {
    kick() {
      if (!started) return;
      // Off the caller's stack: a moderator's request answers before any delivery starts.
      setTimeout(pump, 0);
    },
    runOnce: () => track(runOnce()),
    start() {
      if (started) return;
      started = true;
      pump();
      schedulePoll();
    },
    async stop() {
      started = false;
      if (timer) clearTimeout(timer);
      timer = null;
      while (inFlight.size > 0) await Promise.allSettled([...inFlight]);
    },
  };
}
