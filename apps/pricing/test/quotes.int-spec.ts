import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createKafka, deadLetterTopic, encodeEnvelope, EventPublisher } from '@understudy/messaging';
import type { ShopifyAdminClient } from '@understudy/shopify';
import { TOPICS } from '@understudy/shopify';
import {
  type AppProcess,
  createTestDatabase,
  createTestTopics,
  deleteTestTopics,
  metricValue,
  migrateAppProcess,
  startAppProcess,
  testEnv,
  type TestDatabase,
  uniqueName,
  waitFor,
} from '@understudy/testing';
import {
  adminClient,
  asMessages,
  envelope,
  graphql,
  migratedDatabase,
  post,
  pricingEnv,
  pricingFacts,
  productFacts,
  readModelCaughtUp,
  type RunningPricing,
  SIM_SHOP,
  SIM_TOKEN,
  startPricing,
  startSimulator,
} from './support/pricing';

interface Oracle {
  legacyResourceId: string;
  contextualPricing: {
    price: { amount: string; currencyCode: string };
    quantityPriceBreaks: { nodes: Array<{ minimumQuantity: number; price: { amount: string } }> };
    quantityRule: { minimum: number; maximum: number | null; increment: number };
  };
}

interface QuoteBody {
  currency: string;
  priceListId: string | null;
  lines: Array<{ variantId: string; quantity: number; unitPrice: string; lineTotal: string; source: string; catalogId: string | null; priceListId: string | null }>;
  subtotal: string;
  asOf: string | null;
  error?: { code: string; details: { violations?: Array<{ breach: string }> } };
}

const ORACLE = `query($ids: [ID!]!, $location: ID) { nodes(ids: $ids) { ... on ProductVariant { legacyResourceId
  contextualPricing(context: { companyLocationId: $location }) {
    price { amount currencyCode }
    quantityPriceBreaks(first: 10) { nodes { minimumQuantity price { amount } } }
    quantityRule { minimum maximum increment } } } } }`;

/** An amount in minor units, exactly ("17.9" USD → 1790n, "18.0" JPY → 18n). */
function minor(amount: string, currency: string): bigint {
  const digits = currency === 'JPY' ? 0 : 2;
  const [whole, fraction = ''] = amount.split('.');
  if (fraction.slice(digits).replace(/0/g, '') !== '') throw new Error(`${amount} has more digits than ${currency} holds`);
  return BigInt(whole! + fraction.slice(0, digits).padEnd(digits, '0'));
}

/** What Shopify says n units cost: the last price break at or below n, else the price. */
function oracleUnit(pricing: Oracle['contextualPricing'], quantity: number): string {
  let unit = pricing.price.amount;
  for (const priceBreak of pricing.quantityPriceBreaks.nodes) if (priceBreak.minimumQuantity <= quantity) unit = priceBreak.price.amount;
  return unit;
}

function oracleBreach(rule: Oracle['contextualPricing']['quantityRule'], quantity: number): boolean {
  return quantity < rule.minimum || (rule.maximum !== null && quantity > rule.maximum) || quantity % rule.increment !== 0;
}

function mulberry32(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

describe('pricing quotes against the simulator (Shopify) as oracle', () => {
  let sim: AppProcess;
  let database: TestDatabase;
  let pricing: RunningPricing;
  let client: ShopifyAdminClient;
  let publisher: EventPublisher;
  const kafka = createKafka({ clientId: 'pricing-test', brokers: testEnv().kafkaBrokers });
  const topic = uniqueName('test.pricing.products');
  // The reconciler publishes on the registry's topic behind a prefix of this test's own.
  const prefix = `${uniqueName('it')}.`;
  const factsTopic = `${prefix}${TOPICS['reconcile/pricing'].kafkaTopic}`;
  const variantPricesTopic = `${prefix}${TOPICS['reconcile/variant_prices'].kafkaTopic}`;
  const testTopics = [topic, factsTopic, variantPricesTopic].flatMap((t) => [t, deadLetterTopic(t)]);
  let reconciler: AppProcess;
  let reconcilerDb: TestDatabase;
  let variantIds: string[] = [];
  let locations: Array<{ id: string; currency: string }> = [];
  const firstSnapshot = new Date(Date.now() - 60_000).toISOString();

  beforeAll(async () => {
    await createTestTopics(kafka, testTopics, 3);
    [sim, database, reconcilerDb] = await Promise.all([startSimulator(), migratedDatabase(), createTestDatabase('reconciler')]);
    const seeded = await post(sim.url, '/_sim/seed', { shop: SIM_SHOP, variants: 240, locations: 1, companies: 14, priceLists: 5, seed: 21, accessTokens: [SIM_TOKEN] });
    expect(seeded.status).toBe(201);
    pricing = await startPricing(pricingEnv(database.url, { PROJECTION_ENABLED: 'true', PROJECTION_TOPICS: `${topic},${factsTopic},${variantPricesTopic}`, PROJECTION_GROUP_ID: uniqueName('pricing') }));
    // The real reconciler, from its entry point, with the pricing domain only and no schedule: runs happen when the test asks.
    const reconcilerEnv: NodeJS.ProcessEnv = {
      PATH: process.env['PATH'],
      NODE_ENV: 'test',
      LOG_LEVEL: 'warn',
      HOST: '127.0.0.1',
      DATABASE_URL: reconcilerDb.url,
      KAFKA_BROKERS: testEnv().kafkaBrokers.join(','),
      KAFKA_TOPIC_PREFIX: prefix,
      SHOPIFY_SHOP: SIM_SHOP,
      SHOPIFY_ADMIN_URL: sim.url,
      SHOPIFY_ACCESS_TOKEN: SIM_TOKEN,
      INVENTORY_URL: 'http://127.0.0.1:9',
      PRICING_URL: pricing.url,
      RECONCILE_DOMAINS: 'pricing',
      RECONCILE_BACKFILL_ON_START: 'false',
      RECONCILE_INTERVAL_SECONDS: '0',
      RECONCILE_TICK_MS: '200',
    };
    await migrateAppProcess('reconciler', reconcilerEnv);
    reconciler = await startAppProcess('reconciler', reconcilerEnv);
    client = adminClient(sim.url);
    publisher = new EventPublisher(kafka);
    await publisher.connect();
    // What the reconciler's first run would publish: every product's prices and every B2B row, as of one snapshot.
    const facts = [...(await productFacts(client, firstSnapshot)), ...(await pricingFacts(client, firstSnapshot))];
    for (let i = 0; i < facts.length; i += 500) await pricing.projection.handle(asMessages(facts.slice(i, i + 500)));
    await readModelCaughtUp(pricing);
    const page = await graphql<{ productVariants: { nodes: Array<{ legacyResourceId: string }> }; companyLocations: { nodes: Array<{ legacyResourceId?: string; id: string; currency: string }> } }>(
      sim.url,
      '{ productVariants(first: 250) { nodes { legacyResourceId } } companyLocations(first: 100) { nodes { id currency } } }',
    );
    variantIds = page.productVariants.nodes.map((node) => node.legacyResourceId);
    locations = page.companyLocations.nodes.map((node) => ({ id: node.id.replace(/^.*\//, ''), currency: node.currency }));
  }, 180_000);

  afterAll(async () => {
    await publisher?.close();
    await reconciler?.stop();
    await pricing?.stop();
    await client?.close();
    await sim?.stop();
    await Promise.allSettled([database?.drop(), reconcilerDb?.drop()]);
    await deleteTestTopics(kafka, testTopics);
  });

  async function oracle(locationId: string | undefined, ids: readonly string[]): Promise<Map<string, Oracle['contextualPricing']>> {
    const answer = new Map<string, Oracle['contextualPricing']>();
    for (let i = 0; i < ids.length; i += 30) {
      const data = await graphql<{ nodes: Oracle[] }>(sim.url, ORACLE, {
        ids: ids.slice(i, i + 30).map((id) => `gid://shopify/ProductVariant/${id}`),
        location: locationId === undefined ? null : `gid://shopify/CompanyLocation/${locationId}`,
      });
      for (const node of data.nodes) answer.set(node.legacyResourceId, node.contextualPricing);
    }
    return answer;
  }

  it('answers 1,000 random (company location, variant, quantity) quotes exactly as contextualPricing, refusing rule violations with 422', async () => {
    const random = mulberry32(14);
    const pick = <T>(values: readonly T[]) => values[Math.floor(random() * values.length)]!;
    const quantities = [1, 2, 3, 4, 5, 6, 9, 10, 11, 12, 15, 20, 24, 25, 26, 30, 49, 50, 51, 60, 99, 100, 101, 150, 500, 501];
    const buyers: Array<{ id: string | undefined; currency: string }> = [{ id: undefined, currency: 'USD' }, ...locations];
    expect(new Set(locations.map((l) => l.currency))).toEqual(new Set(['USD', 'CAD', 'EUR', 'GBP', 'JPY']));
    const cases = Array.from({ length: 1_000 }, () => ({ buyer: pick(buyers), variantId: pick(variantIds), quantity: random() < 0.7 ? pick(quantities) : 1 + Math.floor(random() * 300) }));
    const byBuyer = new Map<string | undefined, Set<string>>();
    for (const c of cases) byBuyer.set(c.buyer.id, (byBuyer.get(c.buyer.id) ?? new Set()).add(c.variantId));
    const truth = new Map<string, Oracle['contextualPricing']>();
    for (const [buyer, ids] of byBuyer) for (const [id, pricingOf] of await oracle(buyer, [...ids])) truth.set(`${buyer}:${id}`, pricingOf);

    const tally = { priced: 0, refused: 0, sources: new Set<string>(), multiCatalogWins: 0 };
    for (const c of cases) {
      const expected = truth.get(`${c.buyer.id}:${c.variantId}`)!;
      const answer = await post<QuoteBody>(pricing.url, '/v1/quotes', {
        currency: c.buyer.currency,
        ...(c.buyer.id && { companyLocationId: c.buyer.id }),
        lines: [{ variantId: c.variantId, quantity: c.quantity }],
      });
      const where = `${c.buyer.id ?? 'retail'} × ${c.variantId} × ${c.quantity}`;
      if (oracleBreach(expected.quantityRule, c.quantity)) {
        expect({ where, status: answer.status, code: answer.body.error?.code }).toEqual({ where, status: 422, code: 'QUANTITY_RULE_VIOLATION' });
        tally.refused++;
        continue;
      }
      expect({ where, status: answer.status }).toEqual({ where, status: 200 });
      const line = answer.body.lines[0]!;
      const unit = minor(oracleUnit(expected, c.quantity), c.buyer.currency);
      expect({ where, unit: minor(line.unitPrice, c.buyer.currency), total: minor(line.lineTotal, c.buyer.currency), currency: answer.body.currency }).toEqual({
        where,
        unit,
        total: unit * BigInt(c.quantity),
        currency: expected.price.currencyCode,
      });
      expect(answer.body.subtotal).toBe(line.lineTotal);
      tally.priced++;
      tally.sources.add(line.source);
      if (line.priceListId !== null && line.priceListId !== answer.body.priceListId) tally.multiCatalogWins++;
    }
    // The sample covers what matters: every price source, refusals, and lines won by a second catalog.
    expect(tally.sources).toEqual(new Set(['base', 'fixed', 'adjusted', 'quantity_break']));
    expect(tally.refused).toBeGreaterThan(10);
    expect(tally.multiCatalogWins).toBeGreaterThan(10);
    expect(tally.priced + tally.refused).toBe(1_000);
  }, 300_000);

  it('refuses bad input with 4xx and a reason, never a 500', async () => {
    const [location] = locations;
    const cases: Array<[unknown, number, string]> = [
      [{ currency: 'USD', lines: [] }, 400, 'VALIDATION_FAILED'],
      [{ currency: 'XXX', lines: [{ variantId: variantIds[0], quantity: 1 }] }, 400, 'VALIDATION_FAILED'],
      [{ currency: 'USD', lines: [{ variantId: variantIds[0], quantity: 0 }] }, 400, 'VALIDATION_FAILED'],
      [{ currency: 'USD', lines: [{ variantId: '99999999999999999999', quantity: 1 }] }, 400, 'VALIDATION_FAILED'],
      [{ currency: 'USD', companyLocationId: 'gid://shopify/Product/1', lines: [{ variantId: variantIds[0], quantity: 1 }] }, 400, 'VALIDATION_FAILED'],
      ['{"currency": "USD", "lines": [', 400, 'BAD_REQUEST'],
      [{ currency: 'USD', lines: [{ variantId: '1', quantity: 1 }] }, 404, 'VARIANT_NOT_FOUND'],
      [{ currency: 'USD', companyLocationId: '12345', lines: [{ variantId: variantIds[0], quantity: 1 }] }, 404, 'COMPANY_LOCATION_NOT_FOUND'],
      [{ currency: location!.currency === 'USD' ? 'EUR' : 'USD', companyLocationId: location!.id, lines: [{ variantId: variantIds[0], quantity: 5 }] }, 422, 'CURRENCY_MISMATCH'],
      [{ currency: 'EUR', lines: [{ variantId: variantIds[0], quantity: 1 }] }, 422, 'CURRENCY_MISMATCH'],
    ];
    for (const [body, status, code] of cases) {
      const answer = await post<QuoteBody>(pricing.url, '/v1/quotes', body);
      expect({ body, status: answer.status, code: answer.body?.error?.code }).toEqual({ body, status, code });
    }
  });

  interface Run {
    id: string;
    state: 'running' | 'succeeded' | 'failed';
    asOf: string;
    drift: { missing: number; stale: number; extra: number; mismatch: number };
    published: number;
    error: string | null;
  }

  /** One reconcile run of the pricing domain, asked for over the reconciler's API, to its end. */
  async function reconcile(mode: 'full' | 'incremental', dryRun = false): Promise<Run> {
    const started = await post<Run>(reconciler.url, '/v1/runs', { domains: ['pricing'], mode, dryRun });
    expect(started.status).toBe(202);
    let run = started.body;
    await waitFor(
      async () => {
        run = (await (await fetch(`${reconciler.url}/v1/runs/${started.body.id}`)).json()) as Run;
        return run.state !== 'running';
      },
      { timeoutMs: 120_000, what: `reconcile run ${started.body.id}` },
    );
    expect(run).toMatchObject({ state: 'succeeded', error: null });
    return run;
  }

  /** Until a dry run finds nothing to correct (a full run first brings in what earlier tests left out). */
  async function inSync(): Promise<void> {
    await reconcile('full');
    const drift = (run: Run) => run.drift.missing + run.drift.stale + run.drift.mismatch + run.drift.extra;
    await waitFor(async () => drift(await reconcile('full', true)) === 0, { timeoutMs: 60_000, what: 'a run without drift' });
  }

  it('takes a price-list change (no webhook) at the next reconcile run, and never lets an older snapshot overwrite it', async () => {
    const location = locations.find((l) => l.currency === 'USD')!;
    const variantId = variantIds[1]!;
    const before = (await oracle(location.id, [variantId])).get(variantId)!;
    const quoteOf = async () => (await post<QuoteBody>(pricing.url, '/v1/quotes', { currency: 'USD', companyLocationId: location.id, lines: [{ variantId, quantity: 1 }] })).body;
    const old = await quoteOf();
    expect(old.lines[0]!.unitPrice).toBe(before.price.amount);

    // The projection holds the first snapshot as the paged reader saw it, which reads catalogs through the company
    // locations; the full run's bulk read of every catalog also finds those no location buys through (missing, published).
    const shop = {
      ...(await graphql<{ catalogs: { nodes: Array<{ id: string }> } }>(sim.url, '{ catalogs(first: 250) { nodes { id } } }')),
      ...(await graphql<{ companyLocations: { nodes: Array<{ catalogs: { nodes: Array<{ id: string }> } }> } }>(sim.url, '{ companyLocations(first: 30) { nodes { catalogs(first: 25) { nodes { id } } } } }')),
    };
    expect(shop.companyLocations.nodes.length).toBe(locations.length);
    const bought = new Set(shop.companyLocations.nodes.flatMap((l) => l.catalogs.nodes.map((c) => c.id)));
    const unbought = shop.catalogs.nodes.filter((c) => !bought.has(c.id)).length;
    const first = await reconcile('full');
    expect(first.drift).toEqual({ missing: unbought, stale: 0, extra: 0, mismatch: 0 });
    expect(first.published).toBe(unbought);
    const catalogsHeld = async () => (await (await fetch(`${pricing.url}/v1/export/catalogs`)).text()).trim().split('\n').length;
    await waitFor(async () => (await catalogsHeld()) === shop.catalogs.nodes.length, { timeoutMs: 60_000, what: 'the missing catalogs to be applied' });
    const quiet = await reconcile('full');
    expect(quiet.drift).toEqual({ missing: 0, stale: 0, extra: 0, mismatch: 0 });
    expect(quiet.published).toBe(0);

    // The merchant moves every USD price list to 40 % off: Shopify sends no webhook for it.
    const lists = await graphql<{ priceLists: { nodes: Array<{ id: string; currency: string; parent: { adjustment: { type: string; value: number } } | null }> } }>(
      sim.url,
      '{ priceLists(first: 50) { nodes { id currency parent { adjustment { type value } } } } }',
    );
    const usd = lists.priceLists.nodes.filter((l) => l.currency === 'USD');
    const changed = usd.filter((l) => !(l.parent?.adjustment.type === 'PERCENTAGE_DECREASE' && l.parent.adjustment.value === 40)).length;
    expect(changed).toBeGreaterThan(0);
    const discount = (value: number) => async () => {
      for (const list of usd) {
        await graphql(sim.url, `mutation($id: ID!, $value: Float!) { priceListUpdate(id: $id, input: { parent: { adjustment: { type: PERCENTAGE_DECREASE, value: $value } } }) { userErrors { message } } }`, {
          id: list.id,
          value,
        });
      }
    };
    await discount(40)();
    const after = (await oracle(location.id, [variantId])).get(variantId)!;
    expect(after.price.amount).not.toBe(before.price.amount);
    expect((await quoteOf()).lines[0]!.unitPrice).toBe(before.price.amount);

    // A dry run sees the drift, by kind, and changes nothing.
    const dry = await reconcile('full', true);
    expect(dry.drift).toEqual({ missing: 0, stale: changed, extra: 0, mismatch: 0 });
    expect(dry.published).toBe(0);

    // The next full run (bulk operations plus the paged read of fixed prices) corrects exactly the changed lists.
    const full = await reconcile('full');
    expect(full.drift).toEqual({ missing: 0, stale: changed, extra: 0, mismatch: 0 });
    expect(full.published).toBe(changed);
    await waitFor(async () => (await quoteOf()).lines[0]!.unitPrice === after.price.amount, { timeoutMs: 60_000, what: 'the full run to reach quotes' });

    // The merchant deletes a fixed price (no webhook either): the next full run finds it extra and deletes it.
    const withPrices = await graphql<{ priceLists: { nodes: Array<{ id: string; fixedPricesCount: number }> } }>(sim.url, '{ priceLists(first: 50) { nodes { id fixedPricesCount } } }');
    const listWithPrices = withPrices.priceLists.nodes.find((l) => l.fixedPricesCount > 0)!;
    const priced = await graphql<{ priceList: { prices: { nodes: Array<{ variant: { id: string } }> } } }>(
      sim.url,
      'query($id: ID!) { priceList(id: $id) { prices(first: 1, originType: FIXED) { nodes { variant { id } } } } }',
      { id: listWithPrices.id },
    );
    const deletedVariant = priced.priceList.prices.nodes[0]!.variant.id;
    await graphql(
      sim.url,
      `mutation($id: ID!, $variant: ID!) { quantityPricingByVariantUpdate(priceListId: $id, input: { pricesToAdd: [], pricesToDeleteByVariantId: [$variant],
        quantityPriceBreaksToAdd: [], quantityPriceBreaksToDelete: [], quantityRulesToAdd: [], quantityRulesToDeleteByVariantId: [] }) { userErrors { message } } }`,
      { id: listWithPrices.id, variant: deletedVariant },
    );
    const fixedKey = `${listWithPrices.id.replace(/^.*\//, '')}:${deletedVariant.replace(/^.*\//, '')}`;
    const heldFixed = async () => {
      const rows = (await (await fetch(`${pricing.url}/v1/export/fixed-prices?limit=10000`)).text()).trim().split('\n').map((line) => JSON.parse(line) as { priceListId: string; variantId: string; deleted: boolean });
      return rows.find((r) => `${r.priceListId}:${r.variantId}` === fixedKey);
    };
    expect((await heldFixed())?.deleted).toBe(false);
    const sweep = await reconcile('full');
    expect(sweep.drift).toEqual({ missing: 0, stale: 0, extra: 1, mismatch: 0 });
    await waitFor(async () => (await heldFixed())?.deleted === true, { timeoutMs: 60_000, what: 'the deleted fixed price to become a tombstone' });

    // An incremental (scheduled) run re-reads the B2B state with paged queries: another change reaches quotes too.
    await discount(25)();
    const third = (await oracle(location.id, [variantId])).get(variantId)!;
    expect(third.price.amount).not.toBe(after.price.amount);
    const incremental = await reconcile('incremental');
    expect(incremental.drift).toEqual({ missing: 0, stale: usd.length, extra: 0, mismatch: 0 });
    await waitFor(async () => (await quoteOf()).lines[0]!.unitPrice === third.price.amount, { timeoutMs: 60_000, what: 'the incremental run to reach quotes' });

    // A late copy of the first snapshot of the lists the runs replaced arrives: counted stale, applied nowhere.
    const staleBefore = await metricValue(pricing.url, 'understudy_events_applied_total', { topic: 'test.pricing', result: 'stale' });
    const replaced = new Set(usd.map((l) => l.id.replace(/^.*\//, '')));
    const late = (await pricingFacts(client, firstSnapshot)).filter((event) => {
      const fact = event.payload as { kind: string; price_list_id: string };
      return fact.kind === 'price_list' && replaced.has(String(fact.price_list_id));
    });
    expect(late.length).toBe(usd.length);
    await pricing.projection.handle(asMessages(late));
    expect(await metricValue(pricing.url, 'understudy_events_applied_total', { topic: 'test.pricing', result: 'stale' })).toBe(staleBefore + late.length);
    expect((await quoteOf()).lines[0]!.unitPrice).toBe(third.price.amount);
    // And once everything has been applied, a run finds the projection equal to Shopify.
    const drift = async (run: Run) => run.drift.missing + run.drift.stale + run.drift.mismatch + run.drift.extra;
    await waitFor(async () => (await drift(await reconcile('full', true))) === 0, { timeoutMs: 60_000, what: 'a run without drift' });
  }, 300_000);

  it('reads every quantity break of a fixed price at the next full run, more than one page carries', async () => {
    const lists = await graphql<{ priceLists: { nodes: Array<{ id: string; currency: string; fixedPricesCount: number }> } }>(sim.url, '{ priceLists(first: 50) { nodes { id currency fixedPricesCount } } }');
    const list = lists.priceLists.nodes.find((l) => l.fixedPricesCount > 0)!;
    const priced = await graphql<{ priceList: { prices: { nodes: Array<{ variant: { id: string }; price: { amount: string } }> } } }>(
      sim.url,
      'query($id: ID!) { priceList(id: $id) { prices(first: 1, originType: FIXED) { nodes { variant { id } price { amount } } } } }',
      { id: list.id },
    );
    const { variant, price } = priced.priceList.prices.nodes[0]!;
    await inSync();
    // 14 breaks, more than the 5 the paged read of fixed prices carries with each price.
    const top = Math.max(20, Math.floor(Number(price.amount)));
    const breaks = Array.from({ length: 14 }, (_, i) => ({ variantId: variant.id, minimumQuantity: 2 + i * 5, price: { amount: String(top - 1 - i), currencyCode: list.currency } }));
    const changed = await graphql<{ quantityPricingByVariantUpdate: { userErrors: Array<{ message: string }> } }>(
      sim.url,
      `mutation($id: ID!, $breaks: [QuantityPriceBreakInput!]!) { quantityPricingByVariantUpdate(priceListId: $id, input: { pricesToAdd: [], pricesToDeleteByVariantId: [],
        quantityPriceBreaksToAdd: $breaks, quantityPriceBreaksToDelete: [], quantityRulesToAdd: [], quantityRulesToDeleteByVariantId: [] }) { userErrors { message } } }`,
      { id: list.id, breaks },
    );
    expect(changed.quantityPricingByVariantUpdate.userErrors).toEqual([]);
    const key = `${list.id.replace(/^.*\//, '')}:${variant.id.replace(/^.*\//, '')}`;
    const heldBreaks = async () => {
      const rows = (await (await fetch(`${pricing.url}/v1/export/fixed-prices?limit=10000`)).text()).trim().split('\n').map((line) => JSON.parse(line) as { priceListId: string; variantId: string; quantityPriceBreaks: Array<{ minimumQuantity: number; price: string }> });
      return rows.find((r) => `${r.priceListId}:${r.variantId}` === key)?.quantityPriceBreaks ?? [];
    };
    const run = await reconcile('full');
    expect(run.drift).toEqual({ missing: 0, stale: 1, extra: 0, mismatch: 0 });
    // Shopify's breaks for the price: those 14 and any the seed gave it.
    const shopify = await graphql<{ priceList: { prices: { nodes: Array<{ quantityPriceBreaks: { nodes: Array<{ minimumQuantity: number; price: { amount: string } }> } }> } } }>(
      sim.url,
      'query($id: ID!, $query: String!) { priceList(id: $id) { prices(first: 1, originType: FIXED, query: $query) { nodes { quantityPriceBreaks(first: 100) { nodes { minimumQuantity price { amount } } } } } } }',
      { id: list.id, query: `variant_id:${variant.id.replace(/^.*\//, '')}` },
    );
    const expected = shopify.priceList.prices.nodes[0]!.quantityPriceBreaks.nodes.map((b) => [b.minimumQuantity, Number(b.price.amount)]);
    expect(expected.length).toBeGreaterThanOrEqual(breaks.length);
    await waitFor(async () => (await heldBreaks()).length === expected.length, { timeoutMs: 60_000, what: `all ${expected.length} quantity breaks in the projection` });
    expect((await heldBreaks()).map((b) => [b.minimumQuantity, Number(b.price)])).toEqual(expected);
    // Read in full, the price is in sync: the next run finds nothing to correct.
    expect((await reconcile('full', true)).drift).toEqual({ missing: 0, stale: 0, extra: 0, mismatch: 0 });
  }, 180_000);

  it('is as fresh as the last run, even one that found nothing to correct: quotes\' asOf and the snapshot age move with it', async () => {
    await inSync();
    const location = locations.find((l) => l.currency === 'USD')!;
    const asOfNow = async () => (await post<QuoteBody>(pricing.url, '/v1/quotes', { currency: 'USD', companyLocationId: location.id, lines: [{ variantId: variantIds[3]!, quantity: 1 }] })).body.asOf!;
    const before = await asOfNow();
    const quiet = await reconcile('full');
    expect(quiet.drift).toEqual({ missing: 0, stale: 0, extra: 0, mismatch: 0 });
    expect(quiet.published).toBe(0);
    // The run's end mark on each of the facts topic's 3 partitions confirms the whole projection as of the run's snapshot.
    // Its snapshot is the earliest read of the run: a bulk operation's createdAt (whole seconds, as Shopify's) or the run's start.
    const snapshotFrom = Math.floor(Date.parse(quiet.asOf) / 1000) * 1000;
    const confirmed = await waitFor(
      async () => {
        const asOf = Date.parse(await asOfNow());
        return asOf >= snapshotFrom && asOf <= Date.parse(quiet.asOf) && asOf;
      },
      { timeoutMs: 60_000, what: "the quiet run's snapshot in quotes' asOf" },
    );
    expect(confirmed).toBeGreaterThan(Date.parse(before));
    expect(await metricValue(pricing.url, 'understudy_events_applied_total', { topic: factsTopic, result: 'applied' })).toBeGreaterThanOrEqual(3);
    const age = await waitFor(
      async () => {
        const line = (await (await fetch(`${pricing.url}/metrics`)).text()).split('\n').find((l) => l.startsWith('understudy_pricing_snapshot_age_seconds'));
        const value = line === undefined ? -1 : Number(line.slice(line.lastIndexOf(' ') + 1));
        return value >= 0 && value <= (Date.now() - snapshotFrom) / 1000 + 1 && value + 1;
      },
      { timeoutMs: 30_000, what: 'the snapshot age to count from the quiet run' },
    );
    expect(age).toBeGreaterThan(0);
    // A dry run confirms nothing: it publishes no marks.
    const applied = await metricValue(pricing.url, 'understudy_events_applied_total', { topic: factsTopic, result: 'applied' });
    await reconcile('full', true);
    expect(await metricValue(pricing.url, 'understudy_events_applied_total', { topic: factsTopic, result: 'applied' })).toBe(applied);
  }, 180_000);

  it('corrects a base price whose products/update webhook never came, at the next full or incremental run', async () => {
    await inSync();
    const retail = async (variantId: string) => (await post<QuoteBody>(pricing.url, '/v1/quotes', { currency: 'USD', lines: [{ variantId, quantity: 1 }] })).body.lines[0]!.unitPrice;
    // No products/update subscription exists yet: Shopify's change reaches no one, as when a webhook is lost.
    const setPrice = async (variantId: string, price: string) => {
      const gid = `gid://shopify/ProductVariant/${variantId}`;
      const { productVariant } = await graphql<{ productVariant: { product: { id: string } } }>(sim.url, `query($id: ID!) { productVariant(id: $id) { product { id } } }`, { id: gid });
      await graphql(sim.url, `mutation($product: ID!, $variants: [ProductVariantsBulkInput!]!) { productVariantsBulkUpdate(productId: $product, variants: $variants) { userErrors { message } } }`, {
        product: productVariant.product.id,
        variants: [{ id: gid, price }],
      });
    };
    const [first, second] = [variantIds[11]!, variantIds[12]!];
    await setPrice(first, '77.70');
    expect(await retail(first)).not.toBe('77.70');
    const full = await reconcile('full');
    expect(full.drift).toEqual({ missing: 0, stale: 1, extra: 0, mismatch: 0 });
    await waitFor(async () => (await retail(first)) === '77.70', { timeoutMs: 60_000, what: 'the full run to correct the base price' });
    await setPrice(second, '66.60');
    const incremental = await reconcile('incremental');
    expect(incremental.drift).toEqual({ missing: 0, stale: 1, extra: 0, mismatch: 0 });
    await waitFor(async () => (await retail(second)) === '66.60', { timeoutMs: 60_000, what: 'the incremental run to correct the base price' });
    expect(await metricValue(pricing.url, 'understudy_events_applied_total', { topic: variantPricesTopic, result: 'applied' })).toBe(2);
  }, 240_000);

  it('takes a base-price change from the products/update webhook, through Kafka, within seconds', async () => {
    // The webhook's path with webhook-ingest left out (its own tests cover it): Shopify → HTTP → Kafka → the projection.
    const received: Server = createServer((request, response) => {
      const chunks: Buffer[] = [];
      request.on('data', (chunk: Buffer) => chunks.push(chunk));
      request.on('end', () => {
        const payload = JSON.parse(Buffer.concat(chunks).toString()) as Record<string, unknown>;
        const event = envelope(String(request.headers['x-shopify-topic']), payload, String(request.headers['x-shopify-triggered-at']));
        void publisher.publish(topic, [{ key: String(payload['id']), value: encodeEnvelope(event) }]).then(
          () => response.writeHead(200).end(),
          () => response.writeHead(500).end(),
        );
      });
    });
    await new Promise<void>((resolve) => received.listen(0, '127.0.0.1', resolve));
    try {
      const uri = `http://127.0.0.1:${(received.address() as AddressInfo).port}/webhooks`;
      await graphql(sim.url, `mutation($uri: String!) { webhookSubscriptionCreate(topic: PRODUCTS_UPDATE, webhookSubscription: { uri: $uri, format: JSON }) { userErrors { message } } }`, { uri });
      const variantId = variantIds[7]!;
      const { productVariant } = await graphql<{ productVariant: { product: { id: string } } }>(sim.url, `query($id: ID!) { productVariant(id: $id) { product { id } } }`, { id: `gid://shopify/ProductVariant/${variantId}` });
      await graphql(sim.url, `mutation($product: ID!, $variants: [ProductVariantsBulkInput!]!) { productVariantsBulkUpdate(productId: $product, variants: $variants) { userErrors { message } } }`, {
        product: productVariant.product.id,
        variants: [{ id: `gid://shopify/ProductVariant/${variantId}`, price: '123.45' }],
      });
      await waitFor(
        async () => (await post<QuoteBody>(pricing.url, '/v1/quotes', { currency: 'USD', lines: [{ variantId, quantity: 2 }] })).body.lines?.[0]?.lineTotal === '246.90',
        { timeoutMs: 30_000, what: 'the new base price in a quote' },
      );
      expect(await metricValue(pricing.url, 'understudy_events_applied_total', { topic, result: 'applied' })).toBeGreaterThan(0);
    } finally {
      await new Promise((resolve) => received.close(resolve));
    }
  }, 60_000);

  it('exports what it holds as NDJSON pages and reports the snapshot age', async () => {
    const first = await fetch(`${pricing.url}/v1/export/fixed-prices?limit=5`);
    expect(first.status).toBe(200);
    expect(first.headers.get('content-type')).toContain('application/x-ndjson');
    const rows = (await first.text()).trim().split('\n').map((line) => JSON.parse(line) as { priceListId: string; variantId: string });
    expect(rows).toHaveLength(5);
    const next = first.headers.get('x-next-after');
    expect(next).toBe(`${rows[4]!.priceListId}:${rows[4]!.variantId}`);
    const second = (await (await fetch(`${pricing.url}/v1/export/fixed-prices?limit=5&after=${next}`)).text()).trim().split('\n').map((line) => JSON.parse(line) as { variantId: string; priceListId: string });
    expect(`${second[0]!.priceListId}:${second[0]!.variantId}` > next!).toBe(true);
    expect((await fetch(`${pricing.url}/v1/export/nothing`)).status).toBe(400);
    expect((await fetch(`${pricing.url}/v1/export/catalogs?after=abc`)).status).toBe(400);
    const age = await waitFor(
      async () => {
        const line = (await (await fetch(`${pricing.url}/metrics`)).text()).split('\n').find((l) => l.startsWith('understudy_pricing_snapshot_age_seconds'));
        const value = line === undefined ? -1 : Number(line.slice(line.lastIndexOf(' ') + 1));
        return value >= 0 && value;
      },
      { what: 'the snapshot age metric' },
    );
    expect(age).toBeLessThan(pricing.config.SNAPSHOT_MAX_AGE_SECONDS);
    const ready = (await (await fetch(`${pricing.url}/health/ready`)).json()) as { status: string; info?: Record<string, unknown> };
    expect(ready.status).toBe('ok');
    expect(ready.info?.['b2b-snapshot']).toMatchObject({ status: 'up' });
  });
});
