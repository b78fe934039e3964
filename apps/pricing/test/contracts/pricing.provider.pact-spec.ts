import path from 'node:path';
import { httpProviderUnderTest, PACTS_DIR, retypeField, rewriteBodyPattern, type SqlStatement, sqlTransaction as sql, testEnv, waitFor, withOneInteraction } from '@understudy/testing';
import { Client } from 'pg';
import { CHANGE_LOG_MARKS } from '../../src/read-model/read-model.sql';

/**
 * Provider verification of pricing's HTTP API against every consumer's pact
 * in pacts/ (docs/contracts.md): pricing from its real entry point (main.ts,
 * its own process) on a fresh migrated database; each provider state writes
 * the projection's rows (the ones the Kafka projection writes) first.
 */
const PACTS = ['gateway-pricing.json', 'reconciler-pricing.json'].map((file) => path.join(PACTS_DIR, file));

const RESET = `TRUNCATE pricing_variants, pricing_price_lists, pricing_fixed_prices, pricing_quantity_rules, pricing_catalogs, pricing_company_locations`;
const AS_OF = '2026-01-01T00:00:00Z';

function variantPrice(variantId: number, price: string): SqlStatement {
  return ['INSERT INTO pricing_variants (variant_id, product_id, price, updated_at, triggered_at) VALUES ($1, $2, $3, $4, $4)', [variantId, variantId * 10, price, AS_OF]];
}

/** A company location on one ACTIVE catalog whose price list fixes the variant's price and its quantity rule. */
function b2bBuyer(locationId: number, catalogId: number, priceListId: number, variantId: number, fixed: string, rule: { minimum: number; increment: number }): SqlStatement[] {
  return [
    ['INSERT INTO pricing_company_locations (company_location_id, currency, catalog_ids, as_of) VALUES ($1, $2, $3, $4)', [locationId, 'USD', [catalogId], AS_OF]],
    ['INSERT INTO pricing_catalogs (catalog_id, status, price_list_id, as_of) VALUES ($1, $2, $3, $4)', [catalogId, 'ACTIVE', priceListId, AS_OF]],
    ['INSERT INTO pricing_price_lists (price_list_id, currency, compare_at_mode, as_of) VALUES ($1, $2, $3, $4)', [priceListId, 'USD', 'ADJUSTED', AS_OF]],
    ['INSERT INTO pricing_fixed_prices (price_list_id, variant_id, price, as_of) VALUES ($1, $2, $3, $4)', [priceListId, variantId, fixed, AS_OF]],
    ['INSERT INTO pricing_quantity_rules (price_list_id, variant_id, minimum, increment, as_of) VALUES ($1, $2, $3, $4, $5)', [priceListId, variantId, rule.minimum, rule.increment, AS_OF]],
  ];
}

/** The reconciler's export state: one B2B buyer, the price list's adjustment, three fixed prices (one with a quantity break). */
function exportedB2b(): SqlStatement[] {
  const fixed = (variantId: number, price: string, breaks: Array<{ minimumQuantity: number; price: string }> = []): SqlStatement => [
    'INSERT INTO pricing_fixed_prices (price_list_id, variant_id, price, breaks, as_of) VALUES ($1, $2, $3, $4, $5)',
    [8001, variantId, price, JSON.stringify(breaks), AS_OF],
  ];
  return [
    ...b2bBuyer(7001, 9001, 8001, 1001, '15.00', { minimum: 2, increment: 2 }),
    ["UPDATE pricing_price_lists SET adjustment_type = 'PERCENTAGE_DECREASE', adjustment_value = 10 WHERE price_list_id = 8001"],
    ['UPDATE pricing_fixed_prices SET breaks = $1 WHERE price_list_id = 8001 AND variant_id = 1001', [JSON.stringify([{ minimumQuantity: 10, price: '14.00' }])]],
    fixed(1002, '9.50'),
    fixed(1003, '7.25'),
  ];
}

describe('contract: pricing (HTTP provider) verifies its consumers’ pacts', () => {
  const pricing = httpProviderUnderTest('pricing', {
    KAFKA_BROKERS: testEnv().kafkaBrokers.join(','),
    SHOP_CURRENCY: 'USD',
    // The HTTP API only: states are rows, not events (the events have their own contracts).
    PROJECTION_ENABLED: 'false',
  });

  /**
   * Pricing quotes from its in-process read model, which catches up from the change log on its own (by
   * notification): a state is in place once readiness reports the model at the log's high-water mark.
   */
  async function state(statements: SqlStatement[]): Promise<void> {
    await sql(pricing.databaseUrl, statements);
    const client = new Client({ connectionString: pricing.databaseUrl });
    await client.connect();
    let high: bigint;
    try {
      high = BigInt((await client.query<{ high: string }>(CHANGE_LOG_MARKS.text)).rows[0]!.high);
    } finally {
      await client.end();
    }
    await waitFor(
      async () => {
        const ready = (await (await fetch(`${pricing.url}/health/ready`)).json()) as { details?: Record<string, { position?: string }> };
        const position = ready.details?.['read-model']?.position;
        return position !== undefined && BigInt(position) >= high;
      },
      { timeoutMs: 15_000, what: `pricing's read model to reach change ${high}` },
    );
  }

  const verify = (pactUrls: string[]) =>
    // Each state starts from an empty projection.
    pricing.verify(pactUrls, {
      'variant 1001 costs 19.99 in the shop’s currency USD': () => state([[RESET], variantPrice(1001, '19.99')]),
      'company location 7001 buys variant 1001 at 15.00 USD from price list 8001, in multiples of 2': () =>
        state([[RESET], variantPrice(1001, '19.99'), ...b2bBuyer(7001, 9001, 8001, 1001, '15.00', { minimum: 2, increment: 2 })]),
      'variant 999999 does not exist': () => state([[RESET]]),
      'price list 8001 (USD, 10% off) fixes variants 1001 (15.00, a break at 10 for 14.00), 1002 and 1003, sells 1001 in multiples of 2, through catalog 9001 for company location 7001':
        () => state([[RESET], ...exportedB2b()]),
    });

  it('honours every interaction in pacts/ for provider pricing', async () => {
    await verify(PACTS);
  });

  it('fails, with Pact’s mismatch, when the gateway expects money pricing does not answer as a decimal string', async () => {
    // What pricing answering unitPrice as a JSON number (the monolith's float) would look like to the gateway.
    await withOneInteraction(
      'gateway-pricing.json',
      'a retail quote for 3 units of variant 1001',
      (retail) => retypeField(retail, 'response', ['lines', 0, 'unitPrice'], 19.99),
      (mutated) => expect(verify([mutated])).rejects.toThrow(/unitPrice/),
    );
  });

  it('fails, with Pact’s mismatch, when the reconciler expects an export row field type pricing does not stream', async () => {
    // The fixed prices' pattern with `price` as a JSON number: what pricing changing that field's type looks like to the reconciler.
    await withOneInteraction(
      'reconciler-pricing.json',
      'the first page of 2 fixed prices',
      (page) => rewriteBodyPattern(page, '"price":(?:"-?[0-9]{1,15}(?:\\.[0-9]{1,6})?"|null)', '"price":[0-9]+(?:\\.[0-9]+)?'),
      (mutated) => expect(verify([mutated])).rejects.toThrow(/Expected .*to match/),
    );
  });
});
