-- Generated from migrations/0001_init.ts by scripts/d1-migrations.ts; do not edit.
create table "comments" ("id" text primary key, "thread_id" text not null, "parent_id" text, "author_name" text not null, "author_email" text, "author_key" text not null, "body" text not null, "original_body" text, "status" text not null, "reasons" text default '[]' not null, "score" real default 0 not null, "ip_hash" text, "text_hash" text not null, "report_count" integer default 0 not null, "revision" text not null, "created_at" text not null, "updated_at" text not null, "decided_at" text, "decided_by" text);
create index "comments_thread_status_id" on "comments" ("thread_id", "status", "id");
create index "comments_status_id" on "comments" ("status", "id");
create index "comments_text_hash" on "comments" ("text_hash", "created_at");
create table "comment_history" ("id" text primary key, "comment_id" text not null, "at" text not null, "actor" text not null, "action" text not null, "from_status" text, "to_status" text not null, "note" text);
create index "comment_history_comment" on "comment_history" ("comment_id", "id");
create table "api_keys" ("id" text primary key, "name" text not null, "role" text not null, "secret_hash" text not null unique, "prefix" text not null, "created_at" text not null, "last_used_at" text, "revoked_at" text);
create table "webhooks" ("id" text primary key, "url" text not null, "description" text, "events" text not null, "secret_enc" text not null, "previous_secret_enc" text, "previous_secret_until" text, "enabled" integer default 1 not null, "disabled_reason" text, "failing_since" text, "created_at" text not null, "updated_at" text not null);
create table "webhook_events" ("id" text primary key, "type" text not null, "comment_id" text, "payload" text not null, "created_at" text not null);
create table "webhook_deliveries" ("id" text primary key, "webhook_id" text not null, "event_id" text not null, "status" text not null, "attempts" integer default 0 not null, "next_attempt_at" text not null, "lease_owner" text, "lease_until" text, "last_status_code" integer, "last_error" text, "created_at" text not null, "updated_at" text not null);
create index "webhook_deliveries_due" on "webhook_deliveries" ("status", "next_attempt_at");
create index "webhook_deliveries_webhook" on "webhook_deliveries" ("webhook_id", "id");
create table "webhook_attempts" ("id" text primary key, "delivery_id" text not null, "webhook_id" text not null, "at" text not null, "status_code" integer, "duration_ms" integer not null, "error" text, "response_excerpt" text);
create index "webhook_attempts_delivery" on "webhook_attempts" ("delivery_id", "id");
create table "reports" ("id" text primary key, "comment_id" text not null, "client_key" text not null, "reason" text not null, "note" text, "created_at" text not null, constraint "reports_one_per_client" unique ("comment_id", "client_key"));
create table "bans" ("id" text primary key, "email" text, "ip_hash" text, "reason" text not null, "until" text, "created_at" text not null, "created_by" text not null, "lifted_at" text, "lifted_by" text);
create index "bans_email" on "bans" ("email");
create index "bans_ip_hash" on "bans" ("ip_hash");
