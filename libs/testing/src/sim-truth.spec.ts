import { availableQuantity, truthWebhooks } from './sim-truth';

describe('truthWebhooks', () => {
  const level = (locationId: string, available: number, updatedAt: string) => ({ locationId, available, updatedAt });

  it('sends each product once with all its variants, then each item and its levels, keyed as webhook-ingest keys them', () => {
    const webhooks = truthWebhooks([
      { variantId: '11', inventoryItemId: '21', productId: '31', tracked: true, levels: [level('1', 5, '2026-01-01T00:00:00Z'), level('2', 0, '2026-01-02T00:00:00Z')] },
      { variantId: '12', inventoryItemId: '22', productId: '31', tracked: false, levels: [level('1', 3, '2026-01-01T00:00:00Z')] },
    ]);
    expect(webhooks.map(({ topic, key, at }) => [topic, key, at])).toEqual([
      ['products/update', '31', '2026-01-01T00:00:00Z'],
      ['inventory_items/update', '21', '2026-01-01T00:00:00Z'],
      ['inventory_levels/update', '21', '2026-01-01T00:00:00Z'],
      ['inventory_levels/update', '21', '2026-01-02T00:00:00Z'],
      ['inventory_items/update', '22', '2026-01-01T00:00:00Z'],
      ['inventory_levels/update', '22', '2026-01-01T00:00:00Z'],
    ]);
    expect((webhooks[0]!.payload['variants'] as Array<{ id: number }>).map((v) => v.id)).toEqual([11, 12]);
    expect(webhooks[3]!.payload).toMatchObject({ inventory_item_id: 21, location_id: 2, available: 0 });
  });

  it('has nothing to send for an empty catalogue', () => {
    expect(truthWebhooks([])).toEqual([]);
  });

  it('a variant answers the sum of its levels, never below 0, and null when untracked', () => {
    const variant = (tracked: boolean, ...available: number[]) => ({ variantId: '1', inventoryItemId: '2', productId: '3', tracked, levels: available.map((a) => level('1', a, '2026-01-01T00:00:00Z')) });
    expect([availableQuantity(variant(true, 3, 4)), availableQuantity(variant(true, -5, 2)), availableQuantity(variant(false, 7))]).toEqual([7, 0, null]);
  });
});
