import path from 'node:path';
import { CONTRACT_CART_TOKEN_SECRET, httpProviderUnderTest, PACTS_DIR, retypeField, type SqlStatement, sqlTransaction as sql, withOneInteraction } from '@understudy/testing';

/**
 * Provider verification of the legacy monolith's checkout endpoints against
 * every consumer's pact in pacts/ (docs/contracts.md): the monolith from its
 * real entry point (main.ts, its own process) on a fresh migrated database;
 * each provider state writes the rows its catalogue poll writes. The poll
 * itself never succeeds here (its Admin API URL answers nothing) and is not
 * retried within the run, so only the states' rows are there.
 */
const PACTS = ['gateway-legacy-monolith.json'].map((file) => path.join(PACTS_DIR, file));

const RESET = `TRUNCATE lm_reservation_lines, lm_reservations, lm_company_locations, lm_fixed_prices, lm_price_lists, lm_stock_levels, lm_variants`;

/** A tracked variant at `price` with `available` units at location 1 (the poll's rows). */
function variantInStock(variantId: number, price: number, available: number): SqlStatement[] {
  return [
    ['INSERT INTO lm_variants (variant_id, inventory_item_id, tracked, price, synced_at) VALUES ($1, $2, true, $3, now())', [variantId, variantId + 5_000, price]],
    ['INSERT INTO lm_stock_levels (variant_id, location_id, available) VALUES ($1, 1, $2)', [variantId, available]],
  ];
}

describe('contract: legacy-monolith (HTTP provider) verifies its consumers’ pacts', () => {
  const monolith = httpProviderUnderTest('legacy-monolith', {
    LOG_LEVEL: 'error',
    SHOPIFY_SHOP: 'contract-shop.myshopify.com',
    // Nothing listens there: the start-up poll fails and the next one is an hour away.
    SHOPIFY_ADMIN_URL: 'http://127.0.0.1:9',
    SHOPIFY_ACCESS_TOKEN: 'contract-token',
    POLL_INTERVAL_MS: '3600000',
    POLL_RETRY_MS: '3600000',
    LEGACY_CART_TOKEN_SECRETS: CONTRACT_CART_TOKEN_SECRET,
    SHOP_CURRENCY: 'USD',
  });

  const verify = (pactUrls: string[]) =>
    // Each state starts from an empty database.
    monolith.verify(pactUrls, {
      'variant 1001 has 5 in stock': () => sql(monolith.databaseUrl, [[RESET], ...variantInStock(1001, 19.99, 5)]),
      'company location 7001 buys from price list 8001 at 10% off': () =>
        sql(monolith.databaseUrl, [
          [RESET],
          ...variantInStock(1001, 19.99, 5),
          ['INSERT INTO lm_price_lists (price_list_id, currency, adjustment_type, adjustment_value) VALUES (8001, $1, $2, 10)', ['USD', 'PERCENTAGE_DECREASE']],
          ['INSERT INTO lm_company_locations (company_location_id, currency, price_list_id) VALUES (7001, $1, 8001)', ['USD']],
        ]),
      'variant 999999 does not exist': () => sql(monolith.databaseUrl, [[RESET]]),
    });

  it('honours every interaction in pacts/ for provider legacy-monolith', async () => {
    await verify(PACTS);
  });

  it('fails, with Pact’s mismatch, when the gateway expects an id type the monolith does not answer', async () => {
    // What a "fixed" monolith answering variantId as a string would look like to the gateway, which relays the monolith's answer as is.
    await withOneInteraction(
      'gateway-legacy-monolith.json',
      'a retail quote for 3 units of variant 1001',
      (quote) => retypeField(quote, 'response', ['lines', 0, 'variantId'], '1001'),
      (mutated) => expect(verify([mutated])).rejects.toThrow(/variantId/),
    );
  });
});
