-- Generated from migrations/0003_reports_and_bans.ts by scripts/d1-migrations.ts; do not edit.
alter table "reports" add column "dismissed_at" text;
alter table "reports" add column "dismissed_by" text;
alter table "bans" add column "comment_id" text;
create index "comments_status_reports" on "comments" ("status", "report_count") where "report_count" > 0;
