import { type DataSource, inTransaction } from '@understudy/database';
import { loadConfig } from '@understudy/config';
import { createService, DATA_SOURCE } from '@understudy/platform';
import type { PricingFactInput } from '@understudy/shopify';
import { metricValue, type TestDatabase, waitFor } from '@understudy/testing';
import { Pool } from 'pg';
import { configSchema } from '../src/config';
import { Database, type Sql } from '../src/database/database';
import { pricingService } from '../src/pricing';
import { type ReloadReason, ReadModelSync } from '../src/read-model/read-model-sync';
import { asMessages, envelope, factEnvelope, migratedDatabase, post, pricingEnv, type RunningPricing, startPricing } from './support/pricing';

const VARIANT = '45100000000001';
const LIST = '9200000001';
const CATALOG = '9100000001';
const LOCATION = '9300000001';

interface QuoteBody {
  lines?: Array<{ unitPrice: string; source: string }>;
  error?: { code: string };
}

/**
 * Two replicas of the service on one database, neither consuming Kafka: a
 * write made through one replica's projection reaches the other's read model
 * through the change log (by notification: their safety-net timers are set to
 * ten minutes), and a reset or a trimmed change log makes a reader reload.
 */
describe('the read model across replicas', () => {
  let database: TestDatabase;
  let a: RunningPricing;
  let b: RunningPricing;
  let pool: Pool;
  let snapshot = 0;
  const asOf = () => new Date(Date.parse('2026-12-01T10:00:00Z') + ++snapshot * 60_000).toISOString();

  beforeAll(async () => {
    database = await migratedDatabase();
    const env = pricingEnv(database.url, { READ_MODEL_SYNC_MS: '600000', READ_MODEL_CHANGE_RETENTION_SECONDS: '1' });
    [a, b] = await Promise.all([startPricing(env), startPricing(env)]);
    pool = new Pool({ connectionString: database.url, max: 2 });
  }, 60_000);

  afterAll(async () => {
    await Promise.allSettled([a?.stop(), b?.stop(), pool?.end()]);
    await database?.drop();
  });

  const quote = async (replica: RunningPricing) =>
    post<QuoteBody>(replica.url, '/v1/quotes', { currency: 'USD', companyLocationId: LOCATION, lines: [{ variantId: VARIANT, quantity: 1 }] });
  const unitPrice = async (replica: RunningPricing) => (await quote(replica)).body.lines?.[0]?.unitPrice;
  const bothQuote = (expected: string, what: string) =>
    waitFor(async () => (await unitPrice(a)) === expected && (await unitPrice(b)) === expected, { timeoutMs: 30_000, what: `both replicas to quote ${expected} (${what})` });
  const facts = (replica: RunningPricing, ...inputs: PricingFactInput[]) => replica.projection.handle(asMessages(inputs.map(factEnvelope)));

  it('carries a write made through one replica to both', async () => {
    // Neither replica knows the company location yet: 404, as with the database read.
    expect((await quote(b)).status).toBe(404);
    const at = asOf();
    await a.projection.handle(
      asMessages([envelope('products/update', { id: 8_000_001, title: 'Candle', updated_at: at, variants: [{ id: Number(VARIANT), product_id: 8_000_001, inventory_item_id: 46_000_000_001, price: '10.00', compare_at_price: null, updated_at: at }] }, at)]),
    );
    await facts(
      a,
      { kind: 'price_list', price_list_id: LIST, currency: 'USD', adjustment: { type: 'PERCENTAGE_DECREASE', value: '20' }, compare_at_mode: 'ADJUSTED', as_of: at },
      { kind: 'catalog', catalog_id: CATALOG, status: 'ACTIVE', price_list_id: LIST, as_of: at },
      { kind: 'company_location', company_location_id: LOCATION, currency: 'USD', catalog_ids: [CATALOG], as_of: at },
    );
    await bothQuote('8.00', '10.00 at 20 % off');

    // A change through the other replica, then a fixed price, then its deletion (a tombstone).
    await facts(b, { kind: 'price_list', price_list_id: LIST, currency: 'USD', adjustment: { type: 'PERCENTAGE_DECREASE', value: '30' }, compare_at_mode: 'ADJUSTED', as_of: asOf() });
    await bothQuote('7.00', '30 % off, written through b');
    await facts(a, { kind: 'fixed_price', price_list_id: LIST, variant_id: VARIANT, price: '6.50', compare_at_price: null, quantity_price_breaks: [], as_of: asOf() });
    await bothQuote('6.50', 'a fixed price');
    await facts(b, { kind: 'fixed_price', price_list_id: LIST, variant_id: VARIANT, deleted: true, as_of: asOf() });
    await bothQuote('7.00', 'the fixed price deleted');

    // A catalog archived: the buyer falls back to the variant's own price.
    await facts(a, { kind: 'catalog', catalog_id: CATALOG, status: 'ARCHIVED', price_list_id: LIST, as_of: asOf() });
    await bothQuote('10.00', 'the catalog archived');
    await facts(a, { kind: 'catalog', catalog_id: CATALOG, status: 'ACTIVE', price_list_id: LIST, as_of: asOf() });
    await bothQuote('7.00', 'the catalog active again');
  }, 120_000);

  it('reloads in full after a TRUNCATE (a reset marker in the change log)', async () => {
    await facts(a, { kind: 'fixed_price', price_list_id: LIST, variant_id: VARIANT, price: '5.00', compare_at_price: null, quantity_price_breaks: [], as_of: asOf() });
    await bothQuote('5.00', 'a fixed price');
    const before = await Promise.all([a, b].map((replica) => metricValue(replica.url, 'understudy_pricing_read_model_reloads_total', { reason: 'reset' })));
    await pool.query('TRUNCATE pricing_fixed_prices');
    await bothQuote('7.00', 'the fixed prices truncated');
    for (const [i, replica] of [a, b].entries()) {
      expect(await metricValue(replica.url, 'understudy_pricing_read_model_reloads_total', { reason: 'reset' })).toBeGreaterThan(before[i]!);
    }
    const rows = (await (await fetch(`${a.url}/metrics`)).text()).split('\n').find((line) => line.startsWith('understudy_pricing_read_model_rows{') && line.includes('table="pricing_fixed_prices"'));
    expect(rows?.endsWith(' 0')).toBe(true);
  }, 60_000);

  it('reloads in full when the change log was pruned past its mark', async () => {
    // A third reader, outside any service and never notified, that has loaded and then fallen behind.
    const reloads: ReloadReason[] = [];
    const behind = new ReadModelSync({ pageSize: 2, snapshot: (work) => repeatableRead(pool, work), onReload: (reason) => reloads.push(reason) });
    await behind.catchUp();
    expect(reloads).toEqual(['boot']);
    const price = () => {
      const [line] = behind.current!.lines([VARIANT], [LIST]);
      return line?.fixed[0]?.price;
    };
    expect(price()).toBeUndefined();

    // Two changes: the reader, paging two at a time, takes them without a reload.
    await facts(a, { kind: 'fixed_price', price_list_id: LIST, variant_id: VARIANT, price: '4.00', compare_at_price: null, quantity_price_breaks: [], as_of: asOf() });
    await facts(a, { kind: 'quantity_rule', price_list_id: LIST, variant_id: VARIANT, minimum: 1, maximum: 10, increment: 1, as_of: asOf() });
    await behind.catchUp();
    expect(price()).toBe('4.00');
    expect(reloads).toEqual(['boot']);

    await facts(a, { kind: 'fixed_price', price_list_id: LIST, variant_id: VARIANT, price: '3.00', compare_at_price: null, quantity_price_breaks: [], as_of: asOf() });
    const { rows: [last] } = await pool.query<{ seq: string }>('SELECT max(seq)::text AS seq FROM pricing_changes');
    // The service's pruner, with a retention of 1 s: polled until it has trimmed past that change.
    await waitFor(
      async () => {
        await a.readModel.prune();
        const { rows: [trim] } = await pool.query<{ through: string }>('SELECT through::text FROM pricing_changes_trimmed');
        return BigInt(trim!.through) >= BigInt(last!.seq);
      },
      { timeoutMs: 30_000, what: 'the change log to be pruned past the last change' },
    );
    expect((await pool.query('SELECT 1 FROM pricing_changes WHERE seq <= $1', [last!.seq])).rowCount).toBe(0);
    await behind.catchUp();
    expect(reloads).toEqual(['boot', 'trimmed']);
    expect(price()).toBe('3.00');
    // The replicas, current all along, had nothing to reload for.
    await bothQuote('3.00', 'the last fixed price');
  }, 60_000);

  it('keeps quoting from memory while the database is unreachable', async () => {
    // Not by stopping the shared server: by closing the replica's pool, which is what an outage looks like from inside.
    await b.service.app.get<DataSource>(DATA_SOURCE).destroy();
    expect(b.service.app.get(Database).isReady).toBe(false);
    expect(await unitPrice(b)).toBe('3.00');
    // Readiness stays up: PostgreSQL is not critical once the read model is loaded (its probe reconnects the pool, too).
    const ready = await fetch(`${b.url}/health/ready`);
    expect(ready.status).toBe(200);
    expect((await ready.json()) as { details: Record<string, { status: string }> }).toMatchObject({ details: { 'read-model': { status: 'up' } } });
  });
});

describe('a replica whose read model has not loaded', () => {
  it('answers quotes 503 READ_MODEL_LOADING with Retry-After, and is not ready', async () => {
    // A database nobody listens on (a port of this suite's range): the model can never load.
    const config = loadConfig(configSchema, pricingEnv('postgres://understudy:understudy@127.0.0.1:42299/nothing'));
    const service = await createService(pricingService(config));
    await service.app.listen(0, '127.0.0.1');
    try {
      const url = (await service.app.getUrl()).replace('[::1]', '127.0.0.1');
      const answer = await fetch(`${url}/v1/quotes`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ currency: 'USD', lines: [{ variantId: VARIANT, quantity: 1 }] }) });
      expect(answer.status).toBe(503);
      expect(answer.headers.get('retry-after')).toBe('1');
      expect(((await answer.json()) as QuoteBody).error?.code).toBe('READ_MODEL_LOADING');
      // Bad input is still a 400: validation comes first.
      expect((await post(url, '/v1/quotes', { currency: 'USD', lines: [] })).status).toBe(400);
      const ready = await fetch(`${url}/health/ready`);
      expect(ready.status).toBe(503);
      expect(JSON.stringify(await ready.json())).toContain('the read model is still loading');
    } finally {
      await service.app.close();
    }
  }, 30_000);
});

/** `work` in one REPEATABLE READ transaction on a connection of its own (what the service's Database.transaction gives it). */
function repeatableRead<T>(pool: Pool, work: (sql: Sql) => Promise<T>): Promise<T> {
  return inTransaction(pool, async (client) => {
    await client.query('SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY');
    return work(async <R>(statement: { name?: string; text: string }, values: unknown[] = []) => (await client.query({ ...statement, values })).rows as R[]);
  });
}
