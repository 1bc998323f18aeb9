import { Migration } from "@medusajs/framework/mikro-orm/migrations";

export class Migration20261126143940 extends Migration {

  override async up(): Promise<void> {
    this.addSql(`alter table if exists "xcover_settings" drop constraint if exists "xcover_settings_scope_unique";`);
    this.addSql(`create table if not exists "xcover_settings" ("id" text not null, "scope" text not null, "partner_code" text null, "api_key" text null, "api_secret_encrypted" text null, "environment" text check ("environment" in ('production', 'sandbox', 'custom')) null, "base_url" text null, "signature_algorithm" text check ("signature_algorithm" in ('hmac-sha512', 'hmac-sha384', 'hmac-sha256')) null, "enabled" boolean null, "created_at" timestamptz not null default now(), "updated_at" timestamptz not null default now(), "deleted_at" timestamptz null, constraint "xcover_settings_pkey" primary key ("id"));`);
    this.addSql(`CREATE UNIQUE INDEX IF NOT EXISTS "IDX_xcover_settings_scope_unique" ON "xcover_settings" ("scope") WHERE deleted_at IS NULL;`);
    this.addSql(`CREATE INDEX IF NOT EXISTS "IDX_xcover_settings_deleted_at" ON "xcover_settings" ("deleted_at") WHERE deleted_at IS NULL;`);
  }

  override async down(): Promise<void> {
    this.addSql(`drop table if exists "xcover_settings" cascade;`);
  }

}
