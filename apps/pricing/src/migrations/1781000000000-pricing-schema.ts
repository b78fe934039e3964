import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The pricing projection (docs/pricing.md). Base prices carry Shopify's
 * version (the variant's updated_at, then the webhook's triggered-at); B2B
 * rows carry the as-of time of the snapshot that wrote them. A row is only
 * ever replaced by a newer version, and a deletion leaves a tombstone
 * (`deleted`) so an older snapshot cannot bring the row back.
 * Money and percentages are `numeric` (exact, printed as written).
 */
export class PricingSchema1781000000000 implements MigrationInterface {
  name = 'PricingSchema1781000000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE pricing_variants (
        variant_id       bigint PRIMARY KEY,
        product_id       bigint NOT NULL,
        price            numeric NOT NULL CHECK (price >= 0),
        compare_at_price numeric CHECK (compare_at_price >= 0),
        updated_at       timestamptz NOT NULL,
        triggered_at     timestamptz NOT NULL,
        applied_at       timestamptz NOT NULL DEFAULT clock_timestamp()
      )`);
    await queryRunner.query(`
      CREATE TABLE pricing_price_lists (
        price_list_id    bigint PRIMARY KEY,
        currency         text,
        adjustment_type  text CHECK (adjustment_type IN ('PERCENTAGE_DECREASE', 'PERCENTAGE_INCREASE')),
        adjustment_value numeric CHECK (adjustment_value >= 0),
        compare_at_mode  text CHECK (compare_at_mode IN ('ADJUSTED', 'NULLIFY')),
        deleted          boolean NOT NULL DEFAULT false,
        as_of            timestamptz NOT NULL,
        applied_at       timestamptz NOT NULL DEFAULT clock_timestamp()
      )`);
    await queryRunner.query(`
      CREATE TABLE pricing_fixed_prices (
        price_list_id    bigint NOT NULL,
        variant_id       bigint NOT NULL,
        price            numeric CHECK (price >= 0),
        compare_at_price numeric CHECK (compare_at_price >= 0),
        breaks           jsonb NOT NULL DEFAULT '[]',
        deleted          boolean NOT NULL DEFAULT false,
        as_of            timestamptz NOT NULL,
        applied_at       timestamptz NOT NULL DEFAULT clock_timestamp(),
        PRIMARY KEY (variant_id, price_list_id)
      )`);
    await queryRunner.query(`
      CREATE TABLE pricing_quantity_rules (
        price_list_id bigint NOT NULL,
        variant_id    bigint NOT NULL,
        minimum       integer CHECK (minimum >= 1),
        maximum       integer,
        increment     integer CHECK (increment >= 1),
        deleted       boolean NOT NULL DEFAULT false,
        as_of         timestamptz NOT NULL,
        applied_at    timestamptz NOT NULL DEFAULT clock_timestamp(),
        PRIMARY KEY (variant_id, price_list_id)
      )`);
    await queryRunner.query(`
      CREATE TABLE pricing_catalogs (
        catalog_id    bigint PRIMARY KEY,
        status        text CHECK (status IN ('ACTIVE', 'ARCHIVED', 'DRAFT')),
        price_list_id bigint,
        deleted       boolean NOT NULL DEFAULT false,
        as_of         timestamptz NOT NULL,
        applied_at    timestamptz NOT NULL DEFAULT clock_timestamp()
      )`);
    await queryRunner.query(`
      CREATE TABLE pricing_company_locations (
        company_location_id bigint PRIMARY KEY,
        currency            text,
        catalog_ids         bigint[] NOT NULL DEFAULT '{}',
        deleted             boolean NOT NULL DEFAULT false,
        as_of               timestamptz NOT NULL,
        applied_at          timestamptz NOT NULL DEFAULT clock_timestamp()
      )`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    for (const table of ['pricing_company_locations', 'pricing_catalogs', 'pricing_quantity_rules', 'pricing_fixed_prices', 'pricing_price_lists', 'pricing_variants']) {
      await queryRunner.query(`DROP TABLE IF EXISTS ${table}`);
    }
  }
}
