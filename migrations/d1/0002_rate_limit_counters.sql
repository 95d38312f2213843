-- Generated from migrations/0002_rate_limit_counters.ts by scripts/d1-migrations.ts; do not edit.
create table "rate_limit_counters" ("key" text primary key, "points" integer not null, "expire" bigint);
