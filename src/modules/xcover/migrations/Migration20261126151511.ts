import { Migration } from "@medusajs/framework/mikro-orm/migrations";

export class Migration20261126151511 extends Migration {

  override async up(): Promise<void> {
    this.addSql(`alter table if exists "xcover_offer" drop constraint if exists "xcover_offer_source_check";`);

    this.addSql(`alter table if exists "xcover_offer" add constraint "xcover_offer_source_check" check("source" in ('store_route', 'cart_metadata', 'line_item'));`);
  }

  override async down(): Promise<void> {
    this.addSql(`alter table if exists "xcover_offer" drop constraint if exists "xcover_offer_source_check";`);

    this.addSql(`alter table if exists "xcover_offer" add constraint "xcover_offer_source_check" check("source" in ('store_route', 'cart_metadata'));`);
  }

}
