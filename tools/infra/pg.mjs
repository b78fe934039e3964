// PostgreSQL helper for tools/infra/infra.sh (plain Node ESM, uses the repo's `pg`).
//
//   node pg.mjs ping                        exit 0 if a PostgreSQL server answers on PG_HOST:PG_PORT
//                                           (an authentication error still counts as "answers")
//   node pg.mjs login                       exit 0 if the app role can log in (a missing database is fine)
//   node pg.mjs admin-role                  create the app role through $PG_ADMIN_URL if it is missing
//   node pg.mjs ensure db1 db2 ...          as the app role: create missing databases, then SELECT 1 in each
//
// Env: PG_HOST (127.0.0.1), PG_PORT (5432), APP_USER/APP_PASSWORD (understudy/understudy), PG_ADMIN_URL.
import pg from 'pg';

const host = process.env.PG_HOST ?? '127.0.0.1';
const port = Number(process.env.PG_PORT ?? 5432);
const user = process.env.APP_USER ?? 'understudy';
const password = process.env.APP_PASSWORD ?? 'understudy';
const ident = (s) => `"${String(s).replaceAll('"', '""')}"`;
const literal = (s) => `'${String(s).replaceAll("'", "''")}'`;

async function withClient(config, fn) {
  const c = new pg.Client({ connectionTimeoutMillis: 5000, ...config });
  await c.connect();
  try { return await fn(c); } finally { await c.end().catch(() => {}); }
}

// Codes that prove a PostgreSQL server answered (auth / missing db / permission).
const ANSWERED = new Set(['28P01', '28000', '3D000', '42501', '53300', '57P03']);

async function ping() {
  try {
    await withClient({ host, port, user, password, database: 'postgres' }, (c) => c.query('SELECT 1'));
  } catch (err) {
    if (!ANSWERED.has(err?.code)) throw err;
  }
}

async function login() {
  try {
    await withClient({ host, port, user, password, database: 'postgres' }, (c) => c.query('SELECT 1'));
  } catch (err) {
    if (err?.code !== '3D000') throw err; // authenticated, the database just does not exist
  }
}

async function adminRole() {
  const url = process.env.PG_ADMIN_URL;
  if (!url) throw new Error('PG_ADMIN_URL is not set');
  await withClient({ connectionString: url }, async (c) => {
    const { rowCount } = await c.query('SELECT 1 FROM pg_roles WHERE rolname = $1', [user]);
    if (rowCount === 0) {
      await c.query(`CREATE ROLE ${ident(user)} LOGIN CREATEDB PASSWORD ${literal(password)}`);
      console.log(`created role ${user} via PG_ADMIN_URL`);
    }
  });
}

async function ensure(dbs) {
  const created = [];
  // Any database the role may connect to will do for CREATE DATABASE; try the usual ones.
  let lastErr;
  for (const database of ['postgres', 'template1', ...dbs]) {
    try {
      await withClient({ host, port, user, password, database }, async (c) => {
        const { rows } = await c.query('SELECT datname FROM pg_database WHERE datname = ANY($1)', [dbs]);
        const have = new Set(rows.map((r) => r.datname));
        for (const db of dbs) {
          if (!have.has(db)) {
            await c.query(`CREATE DATABASE ${ident(db)}`);
            created.push(db);
          }
        }
      });
      lastErr = undefined;
      break;
    } catch (err) {
      lastErr = err;
      if (err?.code !== '3D000' && err?.code !== '42501') break; // only retry on "no such db" / no CONNECT
    }
  }
  if (lastErr) throw lastErr;
  for (const database of dbs) {
    await withClient({ host, port, user, password, database }, (c) => c.query('SELECT 1'));
  }
  console.log(`databases: ${dbs.length} ok${created.length ? `, created ${created.join(', ')}` : ', none created'}; SELECT 1 as ${user} succeeded in each`);
}

try {
  const [cmd, ...args] = process.argv.slice(2);
  if (cmd === 'ping') await ping();
  else if (cmd === 'login') await login();
  else if (cmd === 'admin-role') await adminRole();
  else if (cmd === 'ensure') await ensure(args);
  else {
    console.error('usage: pg.mjs ping|login|admin-role|ensure <db>...');
    process.exit(64);
  }
} catch (err) {
  console.error(`${err?.code ? `[${err.code}] ` : ''}${err?.message ?? err}`);
  process.exit(1);
}
