import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Route configuration (one row per route, optimistic concurrency on
 * `version`), its audit log (who, when, why, before and after), and sampled
 * diffs. Default routes are seeded at boot from the route catalogue in code
 * (insert-if-absent), so a new route needs no migration.
 */
export class GatewayRoutes1767398400000 implements MigrationInterface {
  name = 'GatewayRoutes1767398400000';

  async up(runner: QueryRunner): Promise<void> {
    await runner.query(`CREATE TABLE "gateway_routes" (
      "name" text PRIMARY KEY,
      "config" jsonb NOT NULL,
      "version" integer NOT NULL,
      "updated_at" timestamptz NOT NULL DEFAULT now(),
      "updated_by" text NOT NULL
    )`);
    await runner.query(`CREATE TABLE "gateway_route_audit" (
      "id" bigserial PRIMARY KEY,
      "route" text NOT NULL,
      "at" timestamptz NOT NULL DEFAULT clock_timestamp(),
      "actor" text NOT NULL,
      "action" text NOT NULL,
      "reason" text,
      "from_version" integer,
      "to_version" integer NOT NULL,
      "from_step" jsonb,
      "to_step" jsonb NOT NULL,
      "before" jsonb,
      "after" jsonb NOT NULL
    )`);
    await runner.query('CREATE INDEX "gateway_route_audit_route_at" ON "gateway_route_audit" ("route", "at" DESC)');
    await runner.query('CREATE INDEX "gateway_route_audit_at" ON "gateway_route_audit" ("at" DESC)');
    await runner.query(`CREATE TABLE "gateway_diff_samples" (
      "id" bigserial PRIMARY KEY,
      "route" text NOT NULL,
      "segment" text,
      "at" timestamptz NOT NULL,
      "request_id" text NOT NULL,
      "replica" text NOT NULL,
      "outcome" text NOT NULL,
      "reason" text,
      "primary_upstream" text NOT NULL,
      "primary_status" integer,
      "shadow_status" integer,
      "diffs" jsonb NOT NULL,
      "omitted_diffs" integer NOT NULL DEFAULT 0
    )`);
    await runner.query('CREATE INDEX "gateway_diff_samples_route_at" ON "gateway_diff_samples" ("route", "at" DESC)');
    await runner.query('CREATE INDEX "gateway_diff_samples_at" ON "gateway_diff_samples" ("at")');
  }

  async down(runner: QueryRunner): Promise<void> {
    await runner.query('DROP TABLE "gateway_diff_samples"');
    await runner.query('DROP TABLE "gateway_route_audit"');
    await runner.query('DROP TABLE "gateway_routes"');
  }
}
