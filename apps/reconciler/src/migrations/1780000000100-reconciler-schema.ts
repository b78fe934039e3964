import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The reconciler's own state (docs/reconciler.md):
 * - `reconcile_runs`: every run, its progress, results and checkpoint (bulk
 *   operation ids, the incremental read's page cursor), so a restarted
 *   reconciler resumes a run instead of starting over;
 * - `reconcile_domain_locks`: one running run per domain (the primary key is the lock);
 * - `reconcile_cursors`: per domain, where the next incremental read starts;
 * - `delivery_changes`: each change Shopify made that an incremental read saw,
 *   once, with how it reached the module — the delivery ratio's raw data.
 */
export class ReconcilerSchema1780000000100 implements MigrationInterface {
  name = 'ReconcilerSchema1780000000100';

  async up(runner: QueryRunner): Promise<void> {
    await runner.query(`
      CREATE TABLE reconcile_runs (
        id            uuid PRIMARY KEY,
        domains       text[] NOT NULL,
        mode          text NOT NULL CONSTRAINT reconcile_runs_mode CHECK (mode IN ('full', 'incremental')),
        dry_run       boolean NOT NULL,
        trigger       text NOT NULL CONSTRAINT reconcile_runs_trigger CHECK (trigger IN ('api', 'schedule', 'startup')),
        state         text NOT NULL CONSTRAINT reconcile_runs_state CHECK (state IN ('running', 'succeeded', 'failed')),
        progress      jsonb NOT NULL DEFAULT '{}',
        as_of         timestamptz,
        drift         jsonb NOT NULL DEFAULT '{"missing":0,"stale":0,"extra":0,"mismatch":0}',
        published     bigint NOT NULL DEFAULT 0,
        skipped_newer bigint NOT NULL DEFAULT 0,
        subscriptions jsonb,
        cost          jsonb NOT NULL DEFAULT '{"points":0,"throttled":0}',
        checkpoint    jsonb NOT NULL DEFAULT '{}',
        attempts      integer NOT NULL DEFAULT 1,
        error         text,
        started_at    timestamptz NOT NULL DEFAULT now(),
        heartbeat_at  timestamptz NOT NULL DEFAULT now(),
        finished_at   timestamptz
      )`);
    await runner.query(`CREATE INDEX reconcile_runs_started ON reconcile_runs (started_at DESC)`);
    await runner.query(`CREATE INDEX reconcile_runs_running ON reconcile_runs (heartbeat_at) WHERE state = 'running'`);
    await runner.query(`
      CREATE TABLE reconcile_domain_locks (
        domain text PRIMARY KEY,
        run_id uuid NOT NULL REFERENCES reconcile_runs (id) ON DELETE CASCADE
      )`);
    await runner.query(`
      CREATE TABLE reconcile_cursors (
        domain       text PRIMARY KEY,
        since        timestamptz,
        last_full_at timestamptz,
        updated_at   timestamptz NOT NULL DEFAULT now()
      )`);
    await runner.query(`
      CREATE TABLE delivery_changes (
        shop        text NOT NULL,
        domain      text NOT NULL,
        key         text NOT NULL,
        updated_at  timestamptz NOT NULL,
        via         text NOT NULL CONSTRAINT delivery_changes_via CHECK (via IN ('webhook', 'reconciler')),
        observed_at timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (shop, domain, key, updated_at)
      )`);
    await runner.query(`CREATE INDEX delivery_changes_hour ON delivery_changes (shop, updated_at)`);
  }

  async down(runner: QueryRunner): Promise<void> {
    for (const table of ['delivery_changes', 'reconcile_cursors', 'reconcile_domain_locks', 'reconcile_runs']) await runner.query(`DROP TABLE ${table}`);
  }
}
