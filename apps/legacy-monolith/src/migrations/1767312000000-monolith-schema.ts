import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The monolith's own copy of the catalogue (refreshed by polling the Admin
 * API) and its reservations. Money is `double precision` on purpose: this is
 * the legacy system whose floating-point prices the gateway must learn to
 * compare against the modules' exact decimals.
 */
export class MonolithSchema1767312000000 implements MigrationInterface {
  name = 'MonolithSchema1767312000000';

  async up(runner: QueryRunner): Promise<void> {
    await runner.query(`CREATE TABLE "lm_variants" (
      "variant_id" bigint PRIMARY KEY,
      "inventory_item_id" bigint NOT NULL,
      "tracked" boolean NOT NULL,
      "price" double precision NOT NULL,
      "synced_at" timestamptz NOT NULL
    )`);
    await runner.query(`CREATE TABLE "lm_stock_levels" (
      "variant_id" bigint NOT NULL REFERENCES "lm_variants" ("variant_id") ON DELETE CASCADE,
      "location_id" bigint NOT NULL,
      "available" integer NOT NULL,
      PRIMARY KEY ("variant_id", "location_id")
    )`);
    await runner.query(`CREATE TABLE "lm_price_lists" (
      "price_list_id" bigint PRIMARY KEY,
      "currency" text NOT NULL,
      "adjustment_type" text,
      "adjustment_value" double precision
    )`);
    await runner.query(`CREATE TABLE "lm_fixed_prices" (
      "price_list_id" bigint NOT NULL REFERENCES "lm_price_lists" ("price_list_id") ON DELETE CASCADE,
      "variant_id" bigint NOT NULL,
      "price" double precision NOT NULL,
      "breaks" jsonb NOT NULL DEFAULT '[]',
      PRIMARY KEY ("price_list_id", "variant_id")
    )`);
    await runner.query(`CREATE TABLE "lm_company_locations" (
      "company_location_id" bigint PRIMARY KEY,
      "currency" text NOT NULL,
      "price_list_id" bigint
    )`);
    await runner.query(`CREATE TABLE "lm_reservations" (
      "reservation_id" bigserial PRIMARY KEY,
      "cart_id" text NOT NULL,
      "status" text NOT NULL DEFAULT 'active',
      "created_at" timestamptz NOT NULL DEFAULT now(),
      "expires_at" timestamptz NOT NULL
    )`);
    await runner.query(`CREATE TABLE "lm_reservation_lines" (
      "reservation_id" bigint NOT NULL REFERENCES "lm_reservations" ("reservation_id") ON DELETE CASCADE,
      "variant_id" bigint NOT NULL,
      "quantity" integer NOT NULL
    )`);
    await runner.query(`CREATE INDEX "lm_reservation_lines_variant" ON "lm_reservation_lines" ("variant_id")`);
    await runner.query(`CREATE INDEX "lm_reservations_cart" ON "lm_reservations" ("cart_id")`);
  }

  async down(runner: QueryRunner): Promise<void> {
    for (const table of ['lm_reservation_lines', 'lm_reservations', 'lm_company_locations', 'lm_fixed_prices', 'lm_price_lists', 'lm_stock_levels', 'lm_variants']) {
      await runner.query(`DROP TABLE "${table}"`);
    }
  }
}
