import { Migration } from "@medusajs/framework/mikro-orm/migrations"

/** 0.3.0: offers the plugin quotes itself: the covered line, the quotes, XCover's copy. */
export class Migration20261127000000 extends Migration {
  override async up(): Promise<void> {
    this.addSql(
      `alter table if exists "xcover_offer" drop constraint if exists "xcover_offer_source_check";`
    )
    this.addSql(
      `alter table if exists "xcover_offer" add constraint "xcover_offer_source_check" check ("source" in ('store_route', 'cart_metadata', 'line_item', 'plugin_quote'));`
    )
    this.addSql(
      `alter table if exists "xcover_offer" add column if not exists "line_item_id" text null, add column if not exists "line_fingerprint" text null, add column if not exists "currency" text null, add column if not exists "quotes" jsonb null, add column if not exists "content" jsonb null, add column if not exists "replaced_at" timestamptz null, add column if not exists "taken_quote_id" text null;`
    )
    this.addSql(
      `CREATE INDEX IF NOT EXISTS "IDX_xcover_offer_cart_id_line_item_id" ON "xcover_offer" ("cart_id", "line_item_id") WHERE line_item_id IS NOT NULL AND deleted_at IS NULL;`
    )
  }

  override async down(): Promise<void> {
    this.addSql(`drop index if exists "IDX_xcover_offer_cart_id_line_item_id";`)
    // Older code knows these offers only by the line item that names them, as a storefront's own.
    this.addSql(
      `update "xcover_offer" set "source" = 'store_route' where "source" = 'plugin_quote';`
    )
    this.addSql(
      `alter table if exists "xcover_offer" drop column if exists "line_item_id", drop column if exists "line_fingerprint", drop column if exists "currency", drop column if exists "quotes", drop column if exists "content", drop column if exists "replaced_at", drop column if exists "taken_quote_id";`
    )
    this.addSql(
      `alter table if exists "xcover_offer" drop constraint if exists "xcover_offer_source_check";`
    )
    this.addSql(
      `alter table if exists "xcover_offer" add constraint "xcover_offer_source_check" check ("source" in ('store_route', 'cart_metadata', 'line_item'));`
    )
  }
}
