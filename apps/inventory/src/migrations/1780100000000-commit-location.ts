import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The location a sale was taken from, when the commit names it: the line then
 * settles only on that location's Shopify level (the one the order decrements),
 * not on a newer level of any location.
 */
export class CommitLocation1780100000000 implements MigrationInterface {
  name = 'CommitLocation1780100000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('ALTER TABLE reservation_lines ADD COLUMN location_id bigint');
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('ALTER TABLE reservation_lines DROP COLUMN location_id');
  }
}
