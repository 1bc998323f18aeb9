import { Migration } from "@medusajs/framework/mikro-orm/migrations"

/**
 * Recovery of lost `order.placed` walks the orders with a durable cursor instead of re-checking
 * `shown` offers: the cursor's table, and `shown` rows lose the check times the old scan set.
 */
export class Migration20261126210000 extends Migration {
  override async up(): Promise<void> {
    this.addSql(
      `alter table if exists "xcover_recovery_cursor" drop constraint if exists "xcover_recovery_cursor_name_unique";`
    )
    this.addSql(
      `create table if not exists "xcover_recovery_cursor" ("id" text not null, "name" text not null, "after_created_at" timestamptz not null, "after_id" text not null, "lease_owner" text null, "lease_until" timestamptz null, "created_at" timestamptz not null default now(), "updated_at" timestamptz not null default now(), "deleted_at" timestamptz null, constraint "xcover_recovery_cursor_pkey" primary key ("id"));`
    )
    this.addSql(
      `CREATE UNIQUE INDEX IF NOT EXISTS "IDX_xcover_recovery_cursor_name_unique" ON "xcover_recovery_cursor" ("name") WHERE deleted_at IS NULL;`
    )
    this.addSql(
      `CREATE INDEX IF NOT EXISTS "IDX_xcover_recovery_cursor_deleted_at" ON "xcover_recovery_cursor" ("deleted_at") WHERE deleted_at IS NULL;`
    )
    this.addSql(
      `update "xcover_offer" set "next_attempt_at" = null where "status" = 'shown';`
    )
  }

  override async down(): Promise<void> {
    this.addSql(`drop table if exists "xcover_recovery_cursor" cascade;`)
  }
}
