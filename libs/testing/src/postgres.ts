import { Client } from 'pg';
import { testEnv, uniqueName } from './env';

export interface TestDatabase {
  url: string;
  name: string;
  drop(): Promise<void>;
}

/** A fresh, empty database on the real server, dropped by `drop()`. */
export async function createTestDatabase(prefix = 'test'): Promise<TestDatabase> {
  const adminUrl = testEnv().databaseAdminUrl;
  const name = uniqueName(prefix);
  await withAdmin(adminUrl, (client) => client.query(`CREATE DATABASE "${name}"`));
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  return {
    name,
    url: url.toString(),
    drop: () => dropDatabase(adminUrl, name),
  };
}

/**
 * DROP DATABASE … WITH (FORCE), retried a few times when PostgreSQL refuses to end a backend it
 * cannot attribute to a role yet (42501: an autovacuum worker or a connection still starting —
 * both are gone a moment later). Any other error is thrown at once.
 */
async function dropDatabase(adminUrl: string, name: string): Promise<void> {
  for (let attempt = 1; ; attempt++) {
    try {
      await withAdmin(adminUrl, (client) => client.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`));
      return;
    } catch (error) {
      if ((error as { code?: string }).code !== '42501' || attempt >= 10) throw error;
      await new Promise((resolve) => setTimeout(resolve, 250 * attempt));
    }
  }
}

async function withAdmin<T>(adminUrl: string, work: (client: Client) => Promise<T>): Promise<T> {
  const client = new Client({ connectionString: adminUrl });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}

/** A SQL statement and its values, for `sqlTransaction`. */
export type SqlStatement = [text: string, values?: unknown[]];

/** Runs `statements` in one transaction on `databaseUrl` (e.g. a Pact provider state's rows). */
export async function sqlTransaction(databaseUrl: string, statements: readonly SqlStatement[]): Promise<void> {
  const client = new Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    await client.query('BEGIN');
    for (const [text, values] of statements) await client.query(text, values);
    await client.query('COMMIT');
  } finally {
    await client.end();
  }
}
