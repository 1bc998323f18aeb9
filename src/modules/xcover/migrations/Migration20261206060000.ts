import { Migration } from "@medusajs/framework/mikro-orm/migrations"

/**
 * Bookings held for the merchant's review (`storefrontOfferBooking: "hold_for_review"`): the
 * statuses `held` and `declined`.
 */
export class Migration20261206060000 extends Migration {
  override async up(): Promise<void> {
    this.addSql(
      `alter table if exists "xcover_booking" drop constraint if exists "xcover_booking_status_check";`
    )
    this.addSql(
      `alter table if exists "xcover_booking" add constraint "xcover_booking_status_check" check ("status" in ('pending', 'sending', 'retrying', 'booked', 'failed', 'held', 'declined'));`
    )
  }

  override async down(): Promise<void> {
    this.addSql(
      `update "xcover_booking" set "status" = 'failed', "last_error" = 'held for review before a downgrade' where "status" in ('held', 'declined');`
    )
    this.addSql(
      `alter table if exists "xcover_booking" drop constraint if exists "xcover_booking_status_check";`
    )
    this.addSql(
      `alter table if exists "xcover_booking" add constraint "xcover_booking_status_check" check ("status" in ('pending', 'sending', 'retrying', 'booked', 'failed'));`
    )
  }
}
