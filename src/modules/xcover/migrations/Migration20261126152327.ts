import { Migration } from "@medusajs/framework/mikro-orm/migrations"

export class Migration20261126152327 extends Migration {
  override async up(): Promise<void> {
    this.addSql(
      `alter table if exists "xcover_settings" drop constraint if exists "xcover_settings_scope_unique";`
    )
    this.addSql(
      `alter table if exists "xcover_offer" drop constraint if exists "xcover_offer_offer_id_unique";`
    )
    this.addSql(
      `create table if not exists "xcover_offer" ("id" text not null, "offer_id" text not null, "cart_id" text not null, "order_id" text null, "source" text check ("source" in ('store_route', 'cart_metadata', 'line_item')) not null default 'store_route', "status" text check ("status" in ('shown', 'selected', 'pending', 'sending', 'retrying', 'opted_out', 'rejected', 'failed')) not null default 'shown', "attempts" integer not null default 0, "idempotency_key" text not null, "last_status" integer null, "last_error" text null, "declined_at" timestamptz null, "next_attempt_at" timestamptz null, "lease_until" timestamptz null, "last_attempt_at" timestamptz null, "completed_at" timestamptz null, "created_at" timestamptz not null default now(), "updated_at" timestamptz not null default now(), "deleted_at" timestamptz null, constraint "xcover_offer_pkey" primary key ("id"));`
    )
    this.addSql(
      `CREATE UNIQUE INDEX IF NOT EXISTS "IDX_xcover_offer_offer_id_unique" ON "xcover_offer" ("offer_id") WHERE deleted_at IS NULL;`
    )
    this.addSql(
      `CREATE INDEX IF NOT EXISTS "IDX_xcover_offer_cart_id" ON "xcover_offer" ("cart_id") WHERE deleted_at IS NULL;`
    )
    this.addSql(
      `CREATE INDEX IF NOT EXISTS "IDX_xcover_offer_deleted_at" ON "xcover_offer" ("deleted_at") WHERE deleted_at IS NULL;`
    )
    this.addSql(
      `CREATE INDEX IF NOT EXISTS "IDX_xcover_offer_order_id" ON "xcover_offer" ("order_id") WHERE order_id IS NOT NULL AND deleted_at IS NULL;`
    )
    this.addSql(
      `CREATE INDEX IF NOT EXISTS "IDX_xcover_offer_status_next_attempt_at" ON "xcover_offer" ("status", "next_attempt_at") WHERE deleted_at IS NULL;`
    )

    this.addSql(
      `create table if not exists "xcover_settings" ("id" text not null, "scope" text not null, "partner_code" text null, "api_key" text null, "api_secret_encrypted" text null, "environment" text check ("environment" in ('production', 'sandbox', 'custom')) null, "base_url" text null, "signature_algorithm" text check ("signature_algorithm" in ('hmac-sha512', 'hmac-sha384', 'hmac-sha256')) null, "enabled" boolean null, "created_at" timestamptz not null default now(), "updated_at" timestamptz not null default now(), "deleted_at" timestamptz null, constraint "xcover_settings_pkey" primary key ("id"));`
    )
    this.addSql(
      `CREATE UNIQUE INDEX IF NOT EXISTS "IDX_xcover_settings_scope_unique" ON "xcover_settings" ("scope") WHERE deleted_at IS NULL;`
    )
    this.addSql(
      `CREATE INDEX IF NOT EXISTS "IDX_xcover_settings_deleted_at" ON "xcover_settings" ("deleted_at") WHERE deleted_at IS NULL;`
    )
  }

  override async down(): Promise<void> {
    this.addSql(`drop table if exists "xcover_offer" cascade;`)

    this.addSql(`drop table if exists "xcover_settings" cascade;`)
  }
}
