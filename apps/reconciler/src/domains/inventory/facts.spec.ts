import { classify } from '../diff';
import { deletionFact, factsFromChangedVariant, factsFromItemObject, factsFromProductObject, moduleItem, moduleLevel, moduleProduct, parseChangedVariant, parseLevelNode } from './facts';
import { updatedSinceFilter } from '../domain';

const level = (location: number, available: number, updatedAt = '2026-01-01T10:00:05Z') => ({
  updatedAt,
  location: { id: `gid://shopify/Location/${location}` },
  quantities: [{ name: 'available', quantity: available }],
});

describe('inventory facts', () => {
  it('turns a product bulk object into its variant mapping, in the webhook payload shape', () => {
    const [fact] = factsFromProductObject({
      id: 'gid://shopify/Product/9',
      title: 'Tee',
      updatedAt: '2026-01-01T10:00:00Z',
      __children: [
        { id: 'gid://shopify/ProductVariant/12', inventoryItem: { id: 'gid://shopify/InventoryItem/102' } },
        { id: 'gid://shopify/ProductVariant/11', inventoryItem: { id: 'gid://shopify/InventoryItem/101' } },
      ],
    });
    expect(fact).toMatchObject({ kind: 'product', key: '9', topic: 'reconcile/products', partitionKey: '9', value: '11:101,12:102' });
    expect(fact!.payload).toMatchObject({ id: 9, title: 'Tee', updated_at: '2026-01-01T10:00:00Z', variants: [{ id: 12, inventory_item_id: 102 }, { id: 11, inventory_item_id: 101 }] });
    // The module's export of the same mapping compares equal.
    expect(classify(fact!, moduleProduct({ productId: '9', updatedAt: '2026-01-01T09:00:00Z', triggeredAt: '2026-01-01T09:00:00Z', variants: [['11', '101'], ['12', '102']] }))).toBe('in_sync');
  });

  it('turns an inventory item with its levels into item and level facts; an untracked item has null stock, as its webhook', () => {
    const facts = factsFromItemObject({ id: 'gid://shopify/InventoryItem/101', sku: 'S', tracked: true, updatedAt: '2026-01-01T10:00:00Z', __children: [level(1, 4), level(2, 0)] });
    expect(facts.map((f) => [f.kind, f.key, f.value, f.partitionKey])).toEqual([
      ['item', '101', 'true|S', '101'],
      ['level', '101:1', '4', '101'],
      ['level', '101:2', '0', '101'],
    ]);
    expect(facts[1]!.payload).toEqual({ inventory_item_id: 101, location_id: 1, available: 4, updated_at: '2026-01-01T10:00:05Z' });
    const untracked = factsFromItemObject({ id: 'gid://shopify/InventoryItem/7', sku: null, tracked: false, updatedAt: '2026-01-01T10:00:00Z', __children: [level(1, 4)] });
    expect(untracked[1]).toMatchObject({ value: 'null', payload: { available: null } });
    expect(classify(untracked[1]!, moduleLevel({ inventoryItemId: '7', locationId: '1', available: null, updatedAt: '2026-01-01T10:00:05.000000Z', triggeredAt: '2026-01-01T10:00:05.000000Z' }))).toBe('in_sync');
    expect(classify(facts[0]!, moduleItem({ inventoryItemId: '101', tracked: true, sku: 'S', updatedAt: 'x', triggeredAt: 'x' }))).toBe('in_sync');
  });

  it('reads the incremental variant node, extra levels included, and refuses what is not Shopify-shaped', () => {
    const variant = parseChangedVariant({
      id: 'gid://shopify/ProductVariant/11',
      inventoryItem: { id: 'gid://shopify/InventoryItem/101', sku: 'S', tracked: true, updatedAt: '2026-01-01T10:00:00Z', inventoryLevels: { nodes: [level(1, 3)], pageInfo: { hasNextPage: true, endCursor: 'c' } } },
    });
    expect(factsFromChangedVariant(variant, [parseLevelNode(level(2, 9))]).map((f) => f.key)).toEqual(['101', '101:1', '101:2']);
    expect(() => parseChangedVariant({ id: 'gid://shopify/Product/11', inventoryItem: {} })).toThrow('unexpected product variant from Shopify');
  });

  it("deletes a level, an item and a product in the shape of Shopify's delete webhooks, keyed as their facts", () => {
    expect(deletionFact({ kind: 'level', key: '101:7' }, '2026-01-01T10:00:05Z')).toMatchObject({
      topic: 'reconcile/inventory_levels_delete',
      partitionKey: '101',
      updatedAt: '2026-01-01T10:00:05Z',
      payload: { inventory_item_id: 101, location_id: 7, updated_at: '2026-01-01T10:00:05Z' },
    });
    expect(deletionFact({ kind: 'item', key: '101' }, '2026-01-01T10:00:05Z')).toMatchObject({ topic: 'reconcile/inventory_items_delete', partitionKey: '101', payload: { id: 101 } });
    expect(deletionFact({ kind: 'product', key: '9' }, '2026-01-01T10:00:05Z')).toMatchObject({ topic: 'reconcile/products_delete', partitionKey: '9', payload: { id: 9 } });
  });

  it("writes the incremental window in Shopify's search syntax, to the second", () => {
    expect(updatedSinceFilter(new Date('2026-01-01T10:00:05.789Z'))).toBe("updated_at:>='2026-01-01T10:00:05Z'");
  });
});
