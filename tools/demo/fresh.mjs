// `npm start -- --fresh`: drops and re-creates every app's local database
// (understudy_<app>) before the migrations, so the demo starts from nothing
// again. The simulator re-seeds its shop on every start, so projections kept
// from an earlier run describe a shop that no longer exists; --fresh is how to
// watch the migration from its first minute a second time.
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
  say(`» --fresh: re-created ${urls.length} databases`);
}
