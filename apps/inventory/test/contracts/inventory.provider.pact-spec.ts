import path from 'node:path';
import { httpProviderUnderTest, PACTS_DIR, retypeField, rewriteBodyPattern, type SqlStatement, sqlTransaction as sql, testEnv, withOneInteraction } from '@understudy/testing';

/**
 * Provider verification of inventory's HTTP API against every consumer's pact
 * in pacts/ (docs/contracts.md): inventory from its real entry point
 * (main.ts, its own process) on a fresh migrated database; each provider
 * state is written into that database before its interaction is replayed.
 */
const PACTS = ['gateway-inventory.json', 'reconciler-inventory.json'].map((file) => path.join(PACTS_DIR, file));

/** Every row a state may leave behind; each state starts from nothing. */
const RESET = `TRUNCATE reservation_lines, reservations, idempotency_keys, stock, inventory_levels, inventory_items, variants, products, processed_events`;

/** A tracked variant of its own product and inventory item, with `available` units at one location (the projection's rows). */
function variantInStock(variantId: number, available: number, locationId = 1): SqlStatement[] {
  const productId = variantId * 10;
  const itemId = variantId + 5_000;
  const asOf = '2026-01-01T00:00:00Z';
  return [
    ['INSERT INTO products (product_id, updated_at, triggered_at) VALUES ($1, $2, $2)', [productId, asOf]],
    ['INSERT INTO variants (variant_id, product_id, inventory_item_id) VALUES ($1, $2, $3)', [variantId, productId, itemId]],
    ['INSERT INTO inventory_items (inventory_item_id, tracked, sku, updated_at, triggered_at) VALUES ($1, true, $2, $3, $3)', [itemId, `SKU-${itemId}`, asOf]],
    ['INSERT INTO inventory_levels (inventory_item_id, location_id, available, updated_at, triggered_at) VALUES ($1, $2, $3, $4, $4)', [itemId, locationId, available, asOf]],
    ['INSERT INTO stock (inventory_item_id, on_hand, reserved, levels_updated_at) VALUES ($1, $2, 0, $3)', [itemId, available, asOf]],
  ];
}

/** One product whose variants each have their own tracked item, with levels at these locations (the export's rows). */
function productWithLevels(productId: number, variants: Array<{ variantId: number; itemId: number; levels: Array<[locationId: number, available: number]> }>): SqlStatement[] {
  const asOf = '2026-01-01T00:00:00Z';
  return [
    ['INSERT INTO products (product_id, updated_at, triggered_at) VALUES ($1, $2, $2)', [productId, asOf]],
    ...variants.flatMap(({ variantId, itemId, levels }): SqlStatement[] => [
      ['INSERT INTO inventory_items (inventory_item_id, tracked, sku, updated_at, triggered_at) VALUES ($1, true, $2, $3, $3)', [itemId, `SKU-${itemId}`, asOf]],
      ['INSERT INTO variants (variant_id, product_id, inventory_item_id) VALUES ($1, $2, $3)', [variantId, productId, itemId]],
      ...levels.map(([locationId, available]): SqlStatement => [
        'INSERT INTO inventory_levels (inventory_item_id, location_id, available, updated_at, triggered_at) VALUES ($1, $2, $3, $4, $4)',
        [itemId, locationId, available, asOf],
      ]),
    ]),
  ];
}

describe('contract: inventory (HTTP provider) verifies its consumers’ pacts', () => {
  const inventory = httpProviderUnderTest('inventory', {
    KAFKA_BROKERS: testEnv().kafkaBrokers.join(','),
    // The HTTP API only: states are rows, not events (the events have their own contract).
    PROJECTION_ENABLED: 'false',
    SWEEP_INTERVAL_MS: '600000',
  });

  const verify = (pactUrls: string[]) => {
    // Each state starts from an empty database (pact-js runs beforeEach after the state handler, so resetting is the state's job).
    const reset = () => sql(inventory.databaseUrl, [[RESET]]);
    return inventory.verify(pactUrls, {
      'variant 1001 has 5 available at location 1': () => sql(inventory.databaseUrl, [[RESET], ...variantInStock(1001, 5, 1)]),
      'variant 999999 does not exist': reset,
      // Through inventory's own API (the key's row is what its reservation path writes).
      'a reservation of 1 unit of variant 1001 for cart-contract-3 was made with Idempotency-Key client-key-3': async () => {
        await sql(inventory.databaseUrl, [[RESET], ...variantInStock(1001, 5, 1)]);
        const response = await fetch(`${inventory.url}/v1/reservations`, {
          method: 'POST',
          headers: { 'content-type': 'application/json', 'idempotency-key': 'client-key-3' },
          body: JSON.stringify({ cartToken: 'cart-contract-3', lines: [{ variantId: 1001, quantity: 1 }] }),
        });
        if (response.status !== 201) throw new Error(`the state's reservation answered ${response.status}: ${await response.text()}`);
      },
      'items 6001 and 6002 are tracked, 6001 at locations 1 and 2, 6002 at location 1, of product 60010': () =>
        sql(inventory.databaseUrl, [
          [RESET],
          ...productWithLevels(60010, [
            { variantId: 1601, itemId: 6001, levels: [[1, 5], [2, 3]] },
            { variantId: 1602, itemId: 6002, levels: [[1, 7]] },
          ]),
        ]),
    });
  };

  it('honours every interaction in pacts/ for provider inventory', async () => {
    await verify(PACTS);
  });

  it('fails, with Pact’s mismatch, when a consumer expects a field type inventory does not answer', async () => {
    // A copy of the committed pact whose check answer expects availableQuantity as a string: what a provider
    // changing that field's type would look like from the consumer's side.
    await withOneInteraction(
      'gateway-inventory.json',
      'a stock check for 2 units of variant 1001',
      (check) => retypeField(check, 'response', ['availableQuantity'], '5'),
      (mutated) => expect(verify([mutated])).rejects.toThrow(/availableQuantity/),
    );
  });

  it('fails, with Pact’s mismatch, when the reconciler expects an export row field type inventory does not stream', async () => {
    // The levels stream's pattern with `available` as a JSON string: what inventory changing that field's type looks like to the reconciler.
    await withOneInteraction(
      'reconciler-inventory.json',
      'the first page of 2 inventory levels',
      (page) => rewriteBodyPattern(page, '"available":(?:-?[0-9]+|null)', '"available":"[0-9]+"'),
      (mutated) => expect(verify([mutated])).rejects.toThrow(/Expected .*to match/),
    );
  });
});
