// Drops and re-creates every app's local database (understudy_<app>) before the
// migrations: what `npm start` does with the demo (unless --keep-data), and with
// --fresh. The simulator re-seeds its shop on every start, so projections kept
// from an earlier run describe a shop that no longer exists.
import pg from 'pg';

export async function recreateDatabases(urls, say) {
  for (const url of urls) {
    const target = new URL(url);
    const name = decodeURIComponent(target.pathname.slice(1));
    const admin = new URL(url);
    admin.pathname = '/postgres';
    const client = new pg.Client({ connectionString: admin.toString(), connectionTimeoutMillis: 5_000 });
    await client.connect();
    try {
      const ident = `"${name.replaceAll('"', '""')}"`;
      await client.query(`DROP DATABASE IF EXISTS ${ident} WITH (FORCE)`);
      await client.query(`CREATE DATABASE ${ident}`);
    } finally {
      await client.end().catch(() => undefined);
    }
  }
  say(`» fresh start: re-created ${urls.length} app databases (the simulator seeds a new shop; --keep-data keeps them)`);
}
