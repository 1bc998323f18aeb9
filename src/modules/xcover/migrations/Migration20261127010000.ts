import { Migration } from "@medusajs/framework/mikro-orm/migrations"

/** 0.3.0: bookings of taken offers (the confirm outbox and the policies). */
export class Migration20261127010000 extends Migration {
  override async up(): Promise<void> {
    this.addSql(
      `create table if not exists "xcover_booking" ("id" text not null, "offer_id" text not null, "order_id" text not null, "cart_id" text not null, "status" text check ("status" in ('pending', 'sending', 'retrying', 'booked', 'failed')) not null default 'pending', "request" jsonb not null, "idempotency_key" text not null, "charged_amount" numeric null, "raw_charged_amount" jsonb null, "charged_currency" text null, "attempts" integer not null default 0, "last_status" integer null, "last_error" text null, "decided_at" timestamptz not null, "next_attempt_at" timestamptz null, "lease_until" timestamptz null, "lease_token" text null, "retry_deadline_at" timestamptz null, "last_attempt_at" timestamptz null, "completed_at" timestamptz null, "booking_id" text null, "booking_status" text null, "currency" text null, "total_price" numeric null, "raw_total_price" jsonb null, "total_premium" numeric null, "raw_total_premium" jsonb null, "total_tax" numeric null, "raw_total_tax" jsonb null, "quotes" jsonb null, "coi_url" text null, "coi_pdf" text null, "pds_url" text null, "fnol_link" text null, "cancel_link" text null, "price_mismatch" boolean not null default false, "created_at" timestamptz not null default now(), "updated_at" timestamptz not null default now(), "deleted_at" timestamptz null, constraint "xcover_booking_pkey" primary key ("id"));`
    )
    this.addSql(
      `CREATE UNIQUE INDEX IF NOT EXISTS "IDX_xcover_booking_offer_id_unique" ON "xcover_booking" ("offer_id") WHERE deleted_at IS NULL;`
    )
    this.addSql(
      `CREATE INDEX IF NOT EXISTS "IDX_xcover_booking_order_id" ON "xcover_booking" ("order_id") WHERE deleted_at IS NULL;`
    )
    this.addSql(
      `CREATE INDEX IF NOT EXISTS "IDX_xcover_booking_status_next_attempt_at" ON "xcover_booking" ("status", "next_attempt_at") WHERE deleted_at IS NULL;`
    )
    this.addSql(
      `CREATE INDEX IF NOT EXISTS "IDX_xcover_booking_deleted_at" ON "xcover_booking" ("deleted_at") WHERE deleted_at IS NULL;`
    )
  }

  override async down(): Promise<void> {
    this.addSql(`drop table if exists "xcover_booking" cascade;`)
  }
}
