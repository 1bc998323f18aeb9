import { Migration } from "@medusajs/framework/mikro-orm/migrations"

/** 0.2.0: shared rate budget, 429 pause and credential circuit; claims named by a token. */
export class Migration20261126220000 extends Migration {
  override async up(): Promise<void> {
    this.addSql(
      `alter table if exists "xcover_offer" add column if not exists "lease_token" text null, add column if not exists "retry_deadline_at" timestamptz null;`
    )
    this.addSql(
      `create table if not exists "xcover_dispatch_state" ("id" text not null, "scope" text not null, "next_slot_at" timestamptz null, "paused_until" timestamptz null, "circuit_opened_at" timestamptz null, "circuit_probe_at" timestamptz null, "circuit_probes" integer not null default 0, "circuit_reason" text null, "circuit_settings" text null, "unavailable_since" timestamptz null, "clock_skew_ms" integer null, "clock_skew_at" timestamptz null, "created_at" timestamptz not null default now(), "updated_at" timestamptz not null default now(), "deleted_at" timestamptz null, constraint "xcover_dispatch_state_pkey" primary key ("id"));`
    )
    this.addSql(
      `CREATE UNIQUE INDEX IF NOT EXISTS "IDX_xcover_dispatch_state_scope_unique" ON "xcover_dispatch_state" ("scope") WHERE deleted_at IS NULL;`
    )
    this.addSql(
      `CREATE INDEX IF NOT EXISTS "IDX_xcover_dispatch_state_deleted_at" ON "xcover_dispatch_state" ("deleted_at") WHERE deleted_at IS NULL;`
    )
    this.addSql(
      `insert into "xcover_dispatch_state" ("id", "scope") values ('xcds_default', 'default') on conflict do nothing;`
    )
  }

  override async down(): Promise<void> {
    this.addSql(`drop table if exists "xcover_dispatch_state" cascade;`)
    this.addSql(
      `alter table if exists "xcover_offer" drop column if exists "lease_token", drop column if exists "retry_deadline_at";`
    )
  }
}
