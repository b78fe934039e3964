import type { MigrationInterface, QueryRunner } from 'typeorm';

/** The six projection tables and the columns that key their rows (what the read model re-reads a change by). */
const TRACKED: ReadonlyArray<readonly [table: string, keys: readonly string[]]> = [
  ['pricing_variants', ['variant_id']],
  ['pricing_price_lists', ['price_list_id']],
  ['pricing_fixed_prices', ['price_list_id', 'variant_id']],
  ['pricing_quantity_rules', ['price_list_id', 'variant_id']],
  ['pricing_catalogs', ['catalog_id']],
  ['pricing_company_locations', ['company_location_id']],
];

/**
 * The change log every replica's in-process read model catches up from
 * (docs/pricing.md, "The read model"): one row per changed projection row,
 * written by triggers, so a replica learns every change whichever replica's
 * Kafka consumer applied it.
 *
 * `seq` must commit in order, or a reader that asks for `seq > last` skips a
 * row that commits after a larger one it already read (bigserial values are
 * handed out at nextval, not at commit). A BEFORE-statement trigger therefore
 * takes one transaction-level advisory lock before the statement touches any
 * row (so a writer never waits for the lock while holding a row lock another
 * holder needs): writers of these tables commit one after the other, and a
 * seq is only drawn by the lock holder. Writes are rare next to quotes.
 *
 * TRUNCATE leaves a reset marker (`id` NULL) that makes every reader reload.
 * `pricing_changes_trimmed.through` is the newest seq the pruner may have
 * deleted: a reader whose mark is older has missed changes and reloads.
 */
export class PricingChangeLog1781600000000 implements MigrationInterface {
  name = 'PricingChangeLog1781600000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE pricing_changes (
        seq        bigserial PRIMARY KEY,
        table_name text NOT NULL,
        id         bigint,
        variant_id bigint,
        changed_at timestamptz NOT NULL DEFAULT clock_timestamp()
      )`);
    await queryRunner.query(`CREATE INDEX pricing_changes_changed_at ON pricing_changes (changed_at)`);
    await queryRunner.query(`CREATE TABLE pricing_changes_trimmed (one boolean PRIMARY KEY DEFAULT true CHECK (one), through bigint NOT NULL DEFAULT 0)`);
    await queryRunner.query(`INSERT INTO pricing_changes_trimmed DEFAULT VALUES`);
    // The lock's key: a fixed number of this log's own ('pricing_changes' has no other use of advisory locks).
    await queryRunner.query(`
      CREATE FUNCTION pricing_changes_lock() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        PERFORM pg_advisory_xact_lock(7243001);
        RETURN NULL;
      END $$`);
    await queryRunner.query(`
      CREATE FUNCTION pricing_changes_record() RETURNS trigger LANGUAGE plpgsql AS $$
      DECLARE
        changed jsonb := to_jsonb(CASE WHEN TG_OP = 'DELETE' THEN OLD ELSE NEW END);
      BEGIN
        INSERT INTO pricing_changes (table_name, id, variant_id)
        VALUES (TG_TABLE_NAME, (changed ->> TG_ARGV[0])::bigint, CASE WHEN TG_NARGS > 1 THEN (changed ->> TG_ARGV[1])::bigint END);
        -- An update that moves a row to another key (none of ours does) must reach the old key too.
        IF TG_OP = 'UPDATE' AND to_jsonb(OLD) ->> TG_ARGV[0] IS DISTINCT FROM changed ->> TG_ARGV[0]
           OR TG_OP = 'UPDATE' AND TG_NARGS > 1 AND to_jsonb(OLD) ->> TG_ARGV[1] IS DISTINCT FROM changed ->> TG_ARGV[1] THEN
          INSERT INTO pricing_changes (table_name, id, variant_id)
          VALUES (TG_TABLE_NAME, (to_jsonb(OLD) ->> TG_ARGV[0])::bigint, CASE WHEN TG_NARGS > 1 THEN (to_jsonb(OLD) ->> TG_ARGV[1])::bigint END);
        END IF;
        PERFORM pg_notify('pricing_changes', '');
        RETURN NULL;
      END $$`);
    await queryRunner.query(`
      CREATE FUNCTION pricing_changes_reset() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        INSERT INTO pricing_changes (table_name) VALUES (TG_TABLE_NAME);
        PERFORM pg_notify('pricing_changes', '');
        RETURN NULL;
      END $$`);
    for (const [table, keys] of TRACKED) {
      const args = keys.map((key) => `'${key}'`).join(', ');
      await queryRunner.query(`CREATE TRIGGER ${table}_changes_lock BEFORE INSERT OR UPDATE OR DELETE OR TRUNCATE ON ${table} FOR EACH STATEMENT EXECUTE FUNCTION pricing_changes_lock()`);
      await queryRunner.query(`CREATE TRIGGER ${table}_changes AFTER INSERT OR UPDATE OR DELETE ON ${table} FOR EACH ROW EXECUTE FUNCTION pricing_changes_record(${args})`);
      await queryRunner.query(`CREATE TRIGGER ${table}_changes_reset AFTER TRUNCATE ON ${table} FOR EACH STATEMENT EXECUTE FUNCTION pricing_changes_reset()`);
    }
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    for (const [table] of TRACKED) {
      for (const suffix of ['changes_lock', 'changes', 'changes_reset']) await queryRunner.query(`DROP TRIGGER IF EXISTS ${table}_${suffix} ON ${table}`);
    }
    for (const fn of ['pricing_changes_lock', 'pricing_changes_record', 'pricing_changes_reset']) await queryRunner.query(`DROP FUNCTION IF EXISTS ${fn}()`);
    await queryRunner.query(`DROP TABLE IF EXISTS pricing_changes_trimmed`);
    await queryRunner.query(`DROP TABLE IF EXISTS pricing_changes`);
  }
}
