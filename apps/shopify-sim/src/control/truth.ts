import { ALL_QUANTITY_NAMES } from '../store/records';
import type { ShopState } from '../store/shop';

/**
 * Every stocked inventory level of a shop as NDJSON, in chunks of 1,000
 * lines so a 100k-variant shop streams with flat memory. This is "what
 * Shopify knows": tests and the reconciler's checks compare projections to it.
 */
export function* inventoryDump(shop: ShopState, chunkLines = 1_000): Generator<string> {
  let chunk: string[] = [];
  for (const variant of shop.variants) {
    const product = shop.products[variant.productIndex]!;
    for (const location of shop.locations) {
      if (!shop.isStocked(variant.index, location.index)) continue;
      const line: Record<string, unknown> = {
        inventory_item_id: variant.item.id,
        location_id: location.id,
        variant_id: variant.id,
        product_id: product.id,
        sku: variant.sku,
        tracked: variant.item.tracked,
      };
      for (const name of ALL_QUANTITY_NAMES) line[name] = shop.quantity(variant.index, location.index, name);
      line['updated_at'] = new Date(shop.levelUpdatedAt[shop.levelIndex(variant.index, location.index)]!).toISOString();
      chunk.push(JSON.stringify(line));
      if (chunk.length >= chunkLines) {
        yield `${chunk.join('\n')}\n`;
        chunk = [];
      }
    }
  }
  if (chunk.length > 0) yield `${chunk.join('\n')}\n`;
}
