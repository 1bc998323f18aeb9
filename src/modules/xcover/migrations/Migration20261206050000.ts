import { Migration } from "@medusajs/framework/mikro-orm/migrations"

/** 0.4.0: the per-cart limit of Create Offer calls per minute (`maxQuotesPerCartPerMinute`). */
export class Migration20261206050000 extends Migration {
  override async up(): Promise<void> {
    this.addSql(
      `alter table if exists "xcover_quote_budget" drop constraint if exists "xcover_quote_budget_cart_id_unique";`
    )
    this.addSql(
      `create table if not exists "xcover_quote_budget" ("id" text not null, "cart_id" text not null, "window_started_at" timestamptz not null, "calls" integer not null default 0, "created_at" timestamptz not null default now(), "updated_at" timestamptz not null default now(), "deleted_at" timestamptz null, constraint "xcover_quote_budget_pkey" primary key ("id"));`
    )
    this.addSql(
      `CREATE UNIQUE INDEX IF NOT EXISTS "IDX_xcover_quote_budget_cart_id_unique" ON "xcover_quote_budget" ("cart_id") WHERE deleted_at IS NULL;`
    )
    this.addSql(
      `CREATE INDEX IF NOT EXISTS "IDX_xcover_quote_budget_deleted_at" ON "xcover_quote_budget" ("deleted_at") WHERE deleted_at IS NULL;`
    )
  }

  override async down(): Promise<void> {
    this.addSql(`drop table if exists "xcover_quote_budget" cascade;`)
  }
}
