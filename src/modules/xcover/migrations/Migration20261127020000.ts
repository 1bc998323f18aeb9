import { Migration } from "@medusajs/framework/mikro-orm/migrations"

/** 0.3.0: cancellations (their outbox), refunds on bookings, a booking's history (webhooks). */
export class Migration20261127020000 extends Migration {
  override async up(): Promise<void> {
    this.addSql(
      `alter table if exists "xcover_booking" add column if not exists "cancelled_at" timestamptz null, add column if not exists "total_refund" numeric null, add column if not exists "raw_total_refund" jsonb null, add column if not exists "refund" jsonb null;`
    )
    this.addSql(
      `create table if not exists "xcover_cancellation" ("id" text not null, "booking_row_id" text not null, "offer_id" text not null, "order_id" text not null, "reason" text check ("reason" in ('order_canceled', 'returned', 'admin')) not null, "status" text check ("status" in ('pending', 'sending', 'retrying', 'cancelled', 'failed')) not null default 'pending', "cancellation_id" text null, "confirm_before" timestamptz null, "attempts" integer not null default 0, "last_status" integer null, "last_error" text null, "requested_at" timestamptz not null, "next_attempt_at" timestamptz null, "lease_until" timestamptz null, "lease_token" text null, "retry_deadline_at" timestamptz null, "last_attempt_at" timestamptz null, "completed_at" timestamptz null, "created_at" timestamptz not null default now(), "updated_at" timestamptz not null default now(), "deleted_at" timestamptz null, constraint "xcover_cancellation_pkey" primary key ("id"));`
    )
    this.addSql(
      `CREATE UNIQUE INDEX IF NOT EXISTS "IDX_xcover_cancellation_booking_row_id_unique" ON "xcover_cancellation" ("booking_row_id") WHERE deleted_at IS NULL;`
    )
    this.addSql(
      `CREATE INDEX IF NOT EXISTS "IDX_xcover_cancellation_order_id" ON "xcover_cancellation" ("order_id") WHERE deleted_at IS NULL;`
    )
    this.addSql(
      `CREATE INDEX IF NOT EXISTS "IDX_xcover_cancellation_status_next_attempt_at" ON "xcover_cancellation" ("status", "next_attempt_at") WHERE deleted_at IS NULL;`
    )
    this.addSql(
      `CREATE INDEX IF NOT EXISTS "IDX_xcover_cancellation_deleted_at" ON "xcover_cancellation" ("deleted_at") WHERE deleted_at IS NULL;`
    )
    this.addSql(
      `create table if not exists "xcover_booking_event" ("id" text not null, "booking_row_id" text not null, "source" text check ("source" in ('webhook', 'cancellation')) not null, "event" text not null, "payload" jsonb not null, "digest" text not null, "created_at" timestamptz not null default now(), "updated_at" timestamptz not null default now(), "deleted_at" timestamptz null, constraint "xcover_booking_event_pkey" primary key ("id"));`
    )
    this.addSql(
      `CREATE INDEX IF NOT EXISTS "IDX_xcover_booking_event_booking_row_id" ON "xcover_booking_event" ("booking_row_id") WHERE deleted_at IS NULL;`
    )
    this.addSql(
      `CREATE UNIQUE INDEX IF NOT EXISTS "IDX_xcover_booking_event_booking_row_id_digest_unique" ON "xcover_booking_event" ("booking_row_id", "digest") WHERE deleted_at IS NULL;`
    )
    this.addSql(
      `CREATE INDEX IF NOT EXISTS "IDX_xcover_booking_event_deleted_at" ON "xcover_booking_event" ("deleted_at") WHERE deleted_at IS NULL;`
    )
  }

  override async down(): Promise<void> {
    this.addSql(`drop table if exists "xcover_booking_event" cascade;`)
    this.addSql(`drop table if exists "xcover_cancellation" cascade;`)
    this.addSql(
      `alter table if exists "xcover_booking" drop column if exists "cancelled_at", drop column if exists "total_refund", drop column if exists "raw_total_refund", drop column if exists "refund";`
    )
  }
}
