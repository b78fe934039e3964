import { execFile, execFileSync } from 'node:child_process';
import { chownSync, existsSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { Client } from 'pg';
import { freePort, waitFor } from './wait';

const USER = 'understudy';

/** The newest PostgreSQL server binaries on this machine (Debian's layout), or PG_BIN. */
function pgBin(): string {
  if (process.env['PG_BIN']) return process.env['PG_BIN'];
  const base = '/usr/lib/postgresql';
  const versions = existsSync(base) ? readdirSync(base).filter((v) => existsSync(path.join(base, v, 'bin/initdb'))) : [];
  const newest = versions.sort((a, b) => Number(a) - Number(b)).at(-1);
  if (!newest) throw new Error('no PostgreSQL server binaries under /usr/lib/postgresql/*/bin (run `npm run infra:up` once: it installs them), or set PG_BIN');
  return path.join(base, newest, 'bin');
}

const isRoot = () => process.getuid?.() === 0;

/**
 * A private PostgreSQL cluster (its own `initdb` data directory and port), for
 * tests that restart or crash the database without touching the shared server.
 * Durable settings as in production (fsync, synchronous commit); trust auth on
 * loopback so every app connects as `understudy`.
 */
export class PostgresCluster {
  private constructor(
    readonly port: number,
    private readonly dir: string,
  ) {}

  static async start(options: { port?: number } = {}): Promise<PostgresCluster> {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'understudy-pg-'));
    const cluster = new PostgresCluster(options.port ?? (await freePort()), dir);
    if (isRoot()) chownSync(dir, uid('postgres'), gid('postgres'));
    await cluster.run('initdb', ['-D', cluster.data, '-U', USER, '-E', 'UTF8', '--locale=C.UTF-8', '--auth=trust', '--no-sync']);
    writeFileSync(
      path.join(cluster.data, 'postgresql.auto.conf'),
      [`port = ${cluster.port}`, "listen_addresses = '127.0.0.1'", `unix_socket_directories = '${dir}'`, 'max_connections = 200', 'fsync = on', 'synchronous_commit = on'].join('\n') + '\n',
    );
    if (isRoot()) chownSync(path.join(cluster.data, 'postgresql.auto.conf'), uid('postgres'), gid('postgres'));
    await cluster.start();
    return cluster;
  }

  private get data(): string {
    return path.join(this.dir, 'data');
  }

  /** postgres://understudy@127.0.0.1:<port>/<database> */
  url(database = 'postgres'): string {
    return `postgres://${USER}:${USER}@127.0.0.1:${this.port}/${database}`;
  }

  async createDatabase(name: string): Promise<string> {
    await this.query(`CREATE DATABASE "${name}"`);
    return this.url(name);
  }

  async query<T = Record<string, unknown>>(sql: string, params: unknown[] = [], database = 'postgres'): Promise<T[]> {
    const client = new Client({ connectionString: this.url(database), connectionTimeoutMillis: 5_000 });
    await client.connect();
    try {
      return (await client.query(sql, params)).rows as T[];
    } finally {
      await client.end();
    }
  }

  async start(): Promise<void> {
    await this.run('pg_ctl', ['-D', this.data, '-l', path.join(this.dir, 'postgres.log'), '-w', '-t', '60', 'start']);
    await waitFor(() => this.query('SELECT 1').then(() => true), { timeoutMs: 30_000, what: `PostgreSQL on port ${this.port}` });
  }

  /** A crash: every backend killed at once (`-m immediate`), then crash recovery on the next start. */
  async crash(): Promise<void> {
    await this.run('pg_ctl', ['-D', this.data, '-m', 'immediate', '-w', '-t', '60', 'stop']);
  }

  async restart(): Promise<void> {
    await this.crash();
    await this.start();
  }

  async stop(): Promise<void> {
    if (existsSync(path.join(this.data, 'postmaster.pid'))) await this.run('pg_ctl', ['-D', this.data, '-m', 'immediate', '-w', '-t', '60', 'stop']);
    rmSync(this.dir, { recursive: true, force: true });
  }

  /** Asynchronous, so a test's own clients keep running (and timing) while PostgreSQL starts or stops. */
  private async run(binary: string, args: string[]): Promise<void> {
    const command = path.join(pgBin(), binary);
    // PostgreSQL refuses to run as root: run it as the postgres user when we are root.
    const [file, argv] = isRoot() ? ['runuser', ['-u', 'postgres', '--', command, ...args]] : [command, args];
    try {
      await promisify(execFile)(file, argv, { cwd: this.dir, timeout: 120_000 });
    } catch (error) {
      const { stderr, stdout } = error as { stderr?: string; stdout?: string };
      throw new Error(`${binary} ${args.join(' ')} failed: ${String(stderr ?? '')}${String(stdout ?? '')}`);
    }
  }
}

function uid(user: string): number {
  return Number(execFileSync('id', ['-u', user], { encoding: 'utf8' }).trim());
}
function gid(user: string): number {
  return Number(execFileSync('id', ['-g', user], { encoding: 'utf8' }).trim());
}
