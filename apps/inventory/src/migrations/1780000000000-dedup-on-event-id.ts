import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The projection deduplicates on Shopify's event id (X-Shopify-Event-Id),
 * as webhook-ingest does: one event can reach us as several deliveries with
 * different webhook ids. Reconciler facts carry their own stable event id.
 * Ids already stored were webhook ids; they stay as they are and age out
 * with the retention sweep.
 */
export class DedupOnEventId1780000000000 implements MigrationInterface {
  name = 'DedupOnEventId1780000000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE processed_webhooks RENAME TO processed_events`);
    await queryRunner.query(`ALTER TABLE processed_events RENAME COLUMN webhook_id TO event_id`);
    await queryRunner.query(`ALTER INDEX processed_webhooks_processed_at RENAME TO processed_events_processed_at`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER INDEX processed_events_processed_at RENAME TO processed_webhooks_processed_at`);
    await queryRunner.query(`ALTER TABLE processed_events RENAME COLUMN event_id TO webhook_id`);
    await queryRunner.query(`ALTER TABLE processed_events RENAME TO processed_webhooks`);
  }
}
