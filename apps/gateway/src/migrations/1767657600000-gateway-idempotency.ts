import { responseStoreTableSql } from '@understudy/idempotency';
import type { MigrationInterface, QueryRunner } from 'typeorm';

/** `gateway_idempotency`: the Idempotency-Key records of keyed writes (IdempotencyHold, ResponseStore in libs/idempotency). */
export class GatewayIdempotency1767657600000 implements MigrationInterface {
  name = 'GatewayIdempotency1767657600000';

  async up(runner: QueryRunner): Promise<void> {
    for (const sql of responseStoreTableSql('gateway_idempotency')) await runner.query(sql);
  }

  async down(runner: QueryRunner): Promise<void> {
    await runner.query('DROP TABLE "gateway_idempotency"');
  }
}
