import { Migration } from "@medusajs/framework/mikro-orm/migrations"

/** 0.4.0: events written with the outcome they announce, published until the event bus took them. */
export class Migration20261206000000 extends Migration {
  override async up(): Promise<void> {
    this.addSql(
      `create table if not exists "xcover_event" ("id" text not null, "name" text not null, "data" jsonb not null, "published_at" timestamptz null, "attempts" integer not null default 0, "last_error" text null, "lease_until" timestamptz null, "created_at" timestamptz not null default now(), "updated_at" timestamptz not null default now(), "deleted_at" timestamptz null, constraint "xcover_event_pkey" primary key ("id"));`
    )
    this.addSql(
      `CREATE INDEX IF NOT EXISTS "IDX_xcover_event_published_at_created_at" ON "xcover_event" ("published_at", "created_at") WHERE deleted_at IS NULL;`
    )
    this.addSql(
      `CREATE INDEX IF NOT EXISTS "IDX_xcover_event_deleted_at" ON "xcover_event" ("deleted_at") WHERE deleted_at IS NULL;`
    )
  }

  override async down(): Promise<void> {
    this.addSql(`drop table if exists "xcover_event" cascade;`)
  }
}
