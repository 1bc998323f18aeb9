import { Migration } from "@medusajs/framework/mikro-orm/migrations"

/** The sales report's days (`GET /admin/xcover/stats/daily`): offers by recording time, bookings by order and cancellation time. */
export class Migration20261206062722 extends Migration {
  override async up(): Promise<void> {
    this.addSql(
      `CREATE INDEX IF NOT EXISTS "IDX_xcover_booking_decided_at" ON "xcover_booking" ("decided_at") WHERE deleted_at IS NULL;`
    )
    this.addSql(
      `CREATE INDEX IF NOT EXISTS "IDX_xcover_booking_cancelled_at" ON "xcover_booking" ("cancelled_at") WHERE cancelled_at IS NOT NULL AND deleted_at IS NULL;`
    )

    this.addSql(
      `CREATE INDEX IF NOT EXISTS "IDX_xcover_offer_created_at" ON "xcover_offer" ("created_at") WHERE deleted_at IS NULL;`
    )
  }

  override async down(): Promise<void> {
    this.addSql(`drop index if exists "IDX_xcover_booking_decided_at";`)
    this.addSql(`drop index if exists "IDX_xcover_booking_cancelled_at";`)

    this.addSql(`drop index if exists "IDX_xcover_offer_created_at";`)
  }
}
