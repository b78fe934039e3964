import { dedupTableSql } from '@understudy/idempotency';
import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * `webhook_dedup`: one row per Shopify event id (PostgreSQL is the dedup authority, Redis a cache).
 * `webhook_outbox`: envelopes accepted while Kafka was unreachable, relayed in `seq` order.
 */
export class WebhookDedupAndOutbox1763800000000 implements MigrationInterface {
  name = 'WebhookDedupAndOutbox1763800000000';

  async up(runner: QueryRunner): Promise<void> {
    for (const sql of dedupTableSql('webhook_dedup')) await runner.query(sql);
    await runner.query(`CREATE TABLE "webhook_outbox" (
      "seq" bigserial PRIMARY KEY,
      "event_id" text NOT NULL UNIQUE,
      "kafka_topic" text NOT NULL,
      "kafka_key" text NOT NULL,
      "headers" jsonb NOT NULL,
      "envelope" bytea NOT NULL,
      "created_at" timestamptz NOT NULL DEFAULT now()
    )`);
  }

  async down(runner: QueryRunner): Promise<void> {
    await runner.query('DROP TABLE "webhook_outbox"');
    await runner.query('DROP TABLE "webhook_dedup"');
  }
}
