import { Migration } from "@medusajs/framework/mikro-orm/migrations"

/**
 * 0.4.0: the reconciler. A cover removed by an order edit is a reason to cancel; the cursor rows
 * keep the reconciler's figures, its last full pass and the orders to try again.
 */
export class Migration20261206030000 extends Migration {
  override async up(): Promise<void> {
    this.addSql(
      `alter table if exists "xcover_cancellation" drop constraint if exists "xcover_cancellation_reason_check";`
    )
    this.addSql(
      `alter table if exists "xcover_cancellation" add constraint "xcover_cancellation_reason_check" check ("reason" in ('order_canceled', 'returned', 'order_edited', 'admin'));`
    )
    this.addSql(
      `alter table if exists "xcover_recovery_cursor" add column if not exists "figures" jsonb null, add column if not exists "last_run_at" timestamptz null, add column if not exists "completed_at" timestamptz null, add column if not exists "retry_order_ids" jsonb null;`
    )
  }

  override async down(): Promise<void> {
    this.addSql(
      `alter table if exists "xcover_recovery_cursor" drop column if exists "figures", drop column if exists "last_run_at", drop column if exists "completed_at", drop column if exists "retry_order_ids";`
    )
    this.addSql(
      `alter table if exists "xcover_cancellation" drop constraint if exists "xcover_cancellation_reason_check";`
    )
    this.addSql(
      `alter table if exists "xcover_cancellation" add constraint "xcover_cancellation_reason_check" check ("reason" in ('order_canceled', 'returned', 'admin'));`
    )
  }
}
