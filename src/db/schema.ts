import type { Generated } from 'kysely';

/**
 * Table types for every dialect (SQLite, D1, PostgreSQL). Times are ISO-8601 UTC text, flags are
 * 0/1 integers and JSON is text, so the same statements run everywhere.
 */
export interface Database {
  comments: CommentsTable;
  comment_history: CommentHistoryTable;
  api_keys: ApiKeysTable;
  webhooks: WebhooksTable;
  webhook_events: WebhookEventsTable;
  webhook_deliveries: WebhookDeliveriesTable;
  webhook_attempts: WebhookAttemptsTable;
  reports: ReportsTable;
  bans: BansTable;
}

export interface CommentsTable {
  id: string;
  thread_id: string;
  parent_id: string | null;
  author_name: string;
  author_email: string | null;
  /** Keyed hash of the normalised author name + email: rate limits and duplicates per author. */
  author_key: string;
  body: string;
  original_body: string | null;
  status: string;
  /** JSON array of reasons. */
  reasons: string;
  score: number;
  ip_hash: string | null;
  text_hash: string;
  report_count: Generated<number>;
  /**
   * A fresh random token written by every change. A write is guarded by the revision it read
   * (optimistic concurrency), and the statements after it check for the token it wrote.
   */
  revision: string;
  created_at: string;
  updated_at: string;
  decided_at: string | null;
  decided_by: string | null;
}

export interface CommentHistoryTable {
  id: string;
  comment_id: string;
  at: string;
  /** `auto`, `readers`, or an API key id. */
  actor: string;
  action: string;
  from_status: string | null;
  to_status: string;
  note: string | null;
}

export interface ApiKeysTable {
  id: string;
  name: string;
  role: string;
  /** SHA-256 of the secret, hex; the secret itself is never stored. */
  secret_hash: string;
  /** First characters of the secret, to recognise a key in lists. */
  prefix: string;
  created_at: string;
  last_used_at: string | null;
  revoked_at: string | null;
}

export interface WebhooksTable {
  id: string;
  url: string;
  description: string | null;
  /** JSON array of subscribed event types; `["*"]` for all. */
  events: string;
  /** Secret encrypted with the service key (AES-GCM), never in clear. */
  secret_enc: string;
  previous_secret_enc: string | null;
  previous_secret_until: string | null;
  enabled: number;
  disabled_reason: string | null;
  failing_since: string | null;
  created_at: string;
  updated_at: string;
}

export interface WebhookEventsTable {
  /** Also the `webhook-id` header: stable across retries. */
  id: string;
  type: string;
  comment_id: string | null;
  /** The JSON body delivered, fixed when the event happened. */
  payload: string;
  created_at: string;
}

export interface WebhookDeliveriesTable {
  id: string;
  webhook_id: string;
  event_id: string;
  /** `pending` (waiting or retrying), `succeeded`, `failed` (gave up), `cancelled`. */
  status: string;
  attempts: Generated<number>;
  next_attempt_at: string;
  lease_owner: string | null;
  lease_until: string | null;
  last_status_code: number | null;
  last_error: string | null;
  created_at: string;
  updated_at: string;
}

export interface WebhookAttemptsTable {
  id: string;
  delivery_id: string;
  webhook_id: string;
  at: string;
  status_code: number | null;
  duration_ms: number;
  error: string | null;
  response_excerpt: string | null;
}

export interface ReportsTable {
  id: string;
  comment_id: string;
  /** Keyed hash of the reporting client's IP. */
  client_key: string;
  reason: string;
  note: string | null;
  created_at: string;
  /** Set when a moderator dismissed the report; a dismissed report no longer counts. */
  dismissed_at: string | null;
  dismissed_by: string | null;
}

export interface BansTable {
  id: string;
  /** Lower-cased email, or null for an IP-hash-only ban. */
  email: string | null;
  /** Keyed hash of a client IP (never the address itself). */
  ip_hash: string | null;
  /** The comment the ban was made from, whose history records the ban and its lift. */
  comment_id: string | null;
  reason: string;
  /** ISO end time; null for a ban without end. */
  until: string | null;
  created_at: string;
  created_by: string;
  lifted_at: string | null;
  lifted_by: string | null;
}
