// The database's own commit rate as a baseline: pgbench (PostgreSQL's client, /usr/bin/pgbench)
// against a scratch database of its own on the same server, in the same run as the subject.
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import pg from 'pg';

const PGBENCH = process.env.PGBENCH || '/usr/bin/pgbench';

/**
 * One transaction per decrement of one hot row: `UPDATE hot SET n = n - 1 WHERE id = $id AND n >= 1`,
 * the simplest equivalent of a one-commit-per-request reservation (every client queues on the row's
 * lock and each commit waits for its WAL flush). `rows` hot rows, the client picking one at random.
 * Returns { tps, latencyMs } as pgbench reports them (tps without the initial connection time).
 */
export async function pgbenchHotRow({ adminUrl, clients = 32, seconds = 10, rows = 1 }) {
  const name = `bench_pgbench_${Date.now().toString(36)}_${Math.random().toString(36).slice(2, 6)}`;
  const admin = new pg.Client({ connectionString: adminUrl });
  await admin.connect();
  const dir = mkdtempSync(path.join(os.tmpdir(), 'bench-pgbench-'));
  try {
    await admin.query(`CREATE DATABASE "${name}"`);
    const url = new URL(adminUrl);
    url.pathname = `/${name}`;
    const scratch = new pg.Client({ connectionString: url.toString() });
    await scratch.connect();
    try {
      await scratch.query('CREATE TABLE hot (id int PRIMARY KEY, n bigint NOT NULL) WITH (fillfactor = 70)');
      await scratch.query('INSERT INTO hot SELECT g, 1000000000 FROM generate_series(1, $1::int) g', [rows]);
    } finally {
      await scratch.end();
    }
    const script = path.join(dir, 'hot-row.sql');
    writeFileSync(script, `\\set id random(1, ${rows})\nUPDATE hot SET n = n - 1 WHERE id = :id AND n >= 1;\n`);
    const args = ['-n', '-c', String(clients), '-j', '2', '-T', String(seconds), '-f', script, '-h', url.hostname, '-p', url.port || '5432', '-U', decodeURIComponent(url.username), name];
    const { stdout } = await promisify(execFile)(PGBENCH, args, { env: { ...process.env, PGPASSWORD: decodeURIComponent(url.password) }, maxBuffer: 1 << 22 });
    const tps = Number(/tps = ([\d.]+) \(without initial connection time\)/.exec(stdout)?.[1]);
    const latencyMs = Number(/latency average = ([\d.]+) ms/.exec(stdout)?.[1]);
    if (!Number.isFinite(tps)) throw new Error(`could not read pgbench's tps from:\n${stdout}`);
    return { tps, latencyMs };
  } finally {
    rmSync(dir, { recursive: true, force: true });
    await admin.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`).catch(() => undefined);
    await admin.end();
  }
}
