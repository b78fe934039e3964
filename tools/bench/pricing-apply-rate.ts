// The pricing projection's apply rate without and with the change log's triggers (migration 1781600000000):
//   node -r @swc-node/register tools/bench/pricing-apply-rate.ts [rows=20000]
// Two fresh databases on the local PostgreSQL, one per schema; fixed-price facts applied through the
// projection's own applyFact in transactions of 500 (as a Kafka chunk is), by 1 and by 3 concurrent writers.
import { Client, Pool } from 'pg';
import { inTransaction } from '../../libs/database/src/transaction';
import { applyFact } from '../../apps/pricing/src/projection/projection.service';
import { PricingSchema1781000000000 } from '../../apps/pricing/src/migrations/1781000000000-pricing-schema';
import { PricingChangeLog1781600000000 } from '../../apps/pricing/src/migrations/1781600000000-pricing-change-log';
import { pricingFactPayload } from '../../libs/shopify/src/pricing/pricing-facts';
import type { Sql } from '../../apps/pricing/src/database/database';

const ADMIN = 'postgres://understudy:understudy@localhost:5432/postgres';
const ROWS = Number(process.argv[2] ?? 20_000);
const CHUNK = 500;

async function database(name: string, withLog: boolean): Promise<string> {
  const admin = new Client({ connectionString: ADMIN });
  await admin.connect();
  await admin.query(`DROP DATABASE IF EXISTS ${name}`);
  await admin.query(`CREATE DATABASE ${name}`);
  await admin.end();
  const url = ADMIN.replace(/\/postgres$/, `/${name}`);
  const c = new Client({ connectionString: url });
  await c.connect();
  const runner = { query: (s: string) => c.query(s) } as never;
  await new PricingSchema1781000000000().up(runner);
  if (withLog) await new PricingChangeLog1781600000000().up(runner);
  await c.end();
  return url;
}

function facts(writer: number, round: number) {
  const asOf = new Date(Date.parse('2026-12-01T10:00:00Z') + round * 60_000).toISOString();
  return Array.from({ length: ROWS }, (_, i) =>
    pricingFactPayload.parse({ kind: 'fixed_price', price_list_id: 9_200_000_001 + writer, variant_id: 45_000_000_001 + i, price: `${10 + (i % 50)}.00`, compare_at_price: null, quantity_price_breaks: [], as_of: asOf }),
  );
}

async function apply(pool: Pool, list: ReturnType<typeof facts>) {
  for (let i = 0; i < list.length; i += CHUNK) {
    await inTransaction(pool, async (client) => {
      const sql: Sql = async <R>(st: { name?: string; text: string }, values: unknown[] = []) => (await client.query({ ...st, values })).rows as R[];
      for (const fact of list.slice(i, i + CHUNK)) await applyFact(sql, fact);
    });
  }
}

async function main() {
  for (const withLog of [false, true]) {
    const url = await database(`apply_rate_${withLog ? 'log' : 'plain'}`, withLog);
    const pool = new Pool({ connectionString: url, max: 4 });
    const out: string[] = [];
    for (const writers of [1, 3]) {
      const work = Array.from({ length: writers }, (_, w) => facts(w, writers));
      const start = performance.now();
      await Promise.all(work.map((list) => apply(pool, list)));
      const seconds = (performance.now() - start) / 1000;
      out.push(`${writers} writer(s): ${Math.round((ROWS * writers) / seconds)} rows/s`);
    }
    process.stdout.write(`${withLog ? 'with change log' : 'without change log'}: ${out.join('; ')}\n`);
    await pool.end();
    const admin = new Client({ connectionString: ADMIN });
    await admin.connect();
    await admin.query(`DROP DATABASE IF EXISTS apply_rate_${withLog ? 'log' : 'plain'} WITH (FORCE)`);
    await admin.end();
  }
}
void main();
