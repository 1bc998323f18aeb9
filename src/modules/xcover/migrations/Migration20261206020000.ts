import { Migration } from "@medusajs/framework/mikro-orm/migrations"

/** 0.4.0: Confirm Offer's own send slots (XCover allows it 50/s, the other calls 20/s). */
export class Migration20261206020000 extends Migration {
  override async up(): Promise<void> {
    this.addSql(
      `alter table if exists "xcover_dispatch_state" add column if not exists "next_offer_slot_at" timestamptz null;`
    )
  }

  override async down(): Promise<void> {
    this.addSql(
      `alter table if exists "xcover_dispatch_state" drop column if exists "next_offer_slot_at";`
    )
  }
}
