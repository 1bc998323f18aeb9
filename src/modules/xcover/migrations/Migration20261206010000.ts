import { Migration } from "@medusajs/framework/mikro-orm/migrations"

/** 0.4.0: read-backs of booked policies from XCover (after each webhook, and on a schedule). */
export class Migration20261206010000 extends Migration {
  override async up(): Promise<void> {
    this.addSql(
      `create table if not exists "xcover_readback" ("id" text not null, "booking_row_id" text not null, "order_id" text not null, "status" text check ("status" in ('pending', 'sending', 'retrying', 'done', 'failed')) not null default 'pending', "nudged_at" timestamptz null, "read_at" timestamptz null, "attempts" integer not null default 0, "last_status" integer null, "last_error" text null, "next_attempt_at" timestamptz null, "lease_until" timestamptz null, "lease_token" text null, "retry_deadline_at" timestamptz null, "last_attempt_at" timestamptz null, "completed_at" timestamptz null, "created_at" timestamptz not null default now(), "updated_at" timestamptz not null default now(), "deleted_at" timestamptz null, constraint "xcover_readback_pkey" primary key ("id"));`
    )
    this.addSql(
      `CREATE UNIQUE INDEX IF NOT EXISTS "IDX_xcover_readback_booking_row_id_unique" ON "xcover_readback" ("booking_row_id") WHERE deleted_at IS NULL;`
    )
    this.addSql(
      `CREATE INDEX IF NOT EXISTS "IDX_xcover_readback_order_id" ON "xcover_readback" ("order_id") WHERE deleted_at IS NULL;`
    )
    this.addSql(
      `CREATE INDEX IF NOT EXISTS "IDX_xcover_readback_status_next_attempt_at" ON "xcover_readback" ("status", "next_attempt_at") WHERE deleted_at IS NULL;`
    )
    this.addSql(
      `CREATE INDEX IF NOT EXISTS "IDX_xcover_readback_deleted_at" ON "xcover_readback" ("deleted_at") WHERE deleted_at IS NULL;`
    )
    // Policies booked before this version join the schedule: first read within a day.
    this
      .addSql(`insert into "xcover_readback" ("id", "booking_row_id", "order_id", "status", "next_attempt_at", "created_at", "updated_at")
      select 'xcrb_' || b.id, b.id, b.order_id, 'pending', now() + (random() * interval '1 day'), now(), now()
      from "xcover_booking" b
      where b.deleted_at is null and b.status = 'booked' and b.booking_status is distinct from 'CANCELLED'
      on conflict do nothing;`)
  }

  override async down(): Promise<void> {
    this.addSql(`drop table if exists "xcover_readback" cascade;`)
  }
}
