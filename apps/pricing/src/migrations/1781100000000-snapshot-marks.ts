import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The reconciler's end-of-run marks (`reconcile/pricing_snapshot`, one per
 * partition of the facts' topic), and what they confirm: once the marks of one
 * run are held from every partition, every fact of that run has been applied,
 * so the whole projection equals Shopify's state as of the oldest of them —
 * even when the run corrected nothing. `pricing_confirmed_snapshot` is that
 * instant (null until every partition has a mark); freshness and quotes read it.
 */
export class SnapshotMarks1781100000000 implements MigrationInterface {
  name = 'SnapshotMarks1781100000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE pricing_snapshot_marks (
        partition  integer PRIMARY KEY CHECK (partition >= 0),
        partitions integer NOT NULL CHECK (partitions > partition),
        as_of      timestamptz NOT NULL,
        applied_at timestamptz NOT NULL DEFAULT clock_timestamp()
      )`);
    // The partition count of the newest mark decides which partitions must be marked (a topic may grow).
    await queryRunner.query(`
      CREATE VIEW pricing_confirmed_snapshot AS
        WITH latest AS (SELECT partitions FROM pricing_snapshot_marks ORDER BY as_of DESC, partition LIMIT 1)
        SELECT CASE WHEN count(*) = (SELECT partitions FROM latest) THEN min(m.as_of) END AS as_of
          FROM pricing_snapshot_marks m
         WHERE m.partition < (SELECT partitions FROM latest)`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP VIEW IF EXISTS pricing_confirmed_snapshot`);
    await queryRunner.query(`DROP TABLE IF EXISTS pricing_snapshot_marks`);
  }
}
