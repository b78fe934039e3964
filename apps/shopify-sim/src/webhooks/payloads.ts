import { toGid } from '@understudy/shopify';
import type { BulkOperationRecord, InventoryItemRecord, ProductRecord, VariantRecord } from '../store/records';
import type { ShopState } from '../store/shop';

/**
 * Webhook bodies in Shopify's REST shapes (the ones a `JSON` subscription
 * receives): snake_case, numeric ids, money as decimal strings, timestamps in
 * the shop's UTC offset. libs/shopify's payload schemas accept every one.
 */
export function restTimestamp(ms: number, utcOffsetMinutes: number): string {
  const shifted = new Date(ms + utcOffsetMinutes * 60_000).toISOString().replace(/\.\d{3}Z$/, '');
  const sign = utcOffsetMinutes < 0 ? '-' : '+';
  const abs = Math.abs(utcOffsetMinutes);
  return `${shifted}${sign}${String(Math.floor(abs / 60)).padStart(2, '0')}:${String(abs % 60).padStart(2, '0')}`;
}

export function money(cents: number): string {
  return (cents / 100).toFixed(2);
}

export function inventoryLevelGid(itemId: number, locationId: number): string {
  return `gid://shopify/InventoryLevel/${locationId}?inventory_item_id=${itemId}`;
}

/** `inventory_levels/update`. */
export function inventoryLevelPayload(shop: ShopState, itemIndex: number, locationIndex: number) {
  const item = shop.variants[itemIndex]!.item;
  const location = shop.locations[locationIndex]!;
  return {
    inventory_item_id: item.id,
    location_id: location.id,
    available: item.tracked ? shop.quantity(itemIndex, locationIndex, 'available') : null,
    updated_at: restTimestamp(shop.levelUpdatedAt[shop.levelIndex(itemIndex, locationIndex)]!, shop.info.utcOffsetMinutes),
    admin_graphql_api_id: inventoryLevelGid(item.id, location.id),
  };
}

/** `inventory_items/update`. */
export function inventoryItemPayload(shop: ShopState, item: InventoryItemRecord) {
  const offset = shop.info.utcOffsetMinutes;
  return {
    id: item.id,
    sku: item.variant.sku,
    created_at: restTimestamp(item.createdAt, offset),
    updated_at: restTimestamp(item.updatedAt, offset),
    requires_shipping: item.requiresShipping,
    cost: money(item.costCents),
    country_code_of_origin: null,
    province_code_of_origin: null,
    harmonized_system_code: null,
    tracked: item.tracked,
    country_harmonized_system_codes: [],
    admin_graphql_api_id: toGid('InventoryItem', item.id),
  };
}

function variantPayload(shop: ShopState, product: ProductRecord, variant: VariantRecord) {
  const offset = shop.info.utcOffsetMinutes;
  const [option1, option2] = variant.title.split(' / ');
  return {
    admin_graphql_api_id: toGid('ProductVariant', variant.id),
    barcode: variant.barcode,
    compare_at_price: variant.compareAtCents === null ? null : money(variant.compareAtCents),
    created_at: restTimestamp(variant.createdAt, offset),
    id: variant.id,
    inventory_policy: variant.inventoryPolicy.toLowerCase(),
    position: variant.position,
    price: money(variant.priceCents),
    product_id: product.id,
    sku: variant.sku,
    taxable: true,
    title: variant.title,
    updated_at: restTimestamp(variant.updatedAt, offset),
    option1: option1 ?? null,
    option2: option2 ?? null,
    option3: null,
    image_id: null,
    inventory_item_id: variant.item.id,
    inventory_quantity: shop.totalAvailable(variant.index),
    old_inventory_quantity: shop.totalAvailable(variant.index),
    inventory_management: variant.item.tracked ? 'shopify' : null,
  };
}

/** `products/update`: the product with every variant (and so the variant ↔ inventory item mapping). */
export function productPayload(shop: ShopState, product: ProductRecord) {
  const offset = shop.info.utcOffsetMinutes;
  return {
    admin_graphql_api_id: toGid('Product', product.id),
    body_html: `<p>${product.title}</p>`,
    created_at: restTimestamp(product.createdAt, offset),
    handle: product.handle,
    id: product.id,
    product_type: product.productType,
    published_at: restTimestamp(product.createdAt, offset),
    template_suffix: null,
    title: product.title,
    updated_at: restTimestamp(product.updatedAt, offset),
    vendor: product.vendor,
    status: product.status.toLowerCase(),
    published_scope: 'global',
    tags: '',
    variants: product.variantIndexes.map((index) => variantPayload(shop, product, shop.variants[index]!)),
    options: [
      { name: 'Size', position: 1, product_id: product.id },
      { name: 'Color', position: 2, product_id: product.id },
    ],
    images: [],
    image: null,
    media: [],
    variant_gids: product.variantIndexes.map((index) => {
      const variant = shop.variants[index]!;
      return { admin_graphql_api_id: toGid('ProductVariant', variant.id), updated_at: new Date(variant.updatedAt).toISOString() };
    }),
  };
}

/** `bulk_operations/finish`. */
export function bulkOperationFinishPayload(shop: ShopState, operation: BulkOperationRecord) {
  const offset = shop.info.utcOffsetMinutes;
  return {
    admin_graphql_api_id: toGid('BulkOperation', operation.id),
    completed_at: operation.completedAt === null ? null : restTimestamp(operation.completedAt, offset),
    created_at: restTimestamp(operation.createdAt, offset),
    error_code: operation.errorCode?.toLowerCase() ?? null,
    status: operation.status.toLowerCase(),
    type: operation.type.toLowerCase(),
  };
}
