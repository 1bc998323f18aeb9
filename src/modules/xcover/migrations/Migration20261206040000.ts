import { Migration } from "@medusajs/framework/mikro-orm/migrations"

/**
 * 0.4.0: what XCover reports differently from the ledger (another price than booked, a policy
 * live at XCover that the store cancelled) is kept on the booking, to show both values.
 */
export class Migration20261206040000 extends Migration {
  override async up(): Promise<void> {
    this.addSql(
      `alter table if exists "xcover_booking" add column if not exists "reported" jsonb null;`
    )
  }

  override async down(): Promise<void> {
    this.addSql(
      `alter table if exists "xcover_booking" drop column if exists "reported";`
    )
  }
}
