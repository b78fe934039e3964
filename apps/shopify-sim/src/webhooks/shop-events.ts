import type { BulkOperationRecord, InventoryItemRecord, ProductRecord } from '../store/records';
import type { ShopState } from '../store/shop';
import type { SimSettings } from '../settings';
import type { WebhookDispatcher } from './dispatcher';
import { bulkOperationFinishPayload, inventoryItemPayload, inventoryLevelPayload, productPayload } from './payloads';

/** Turns changes to the store into the webhooks Shopify would send for them. */
export class ShopEvents {
  constructor(
    private readonly dispatcher: WebhookDispatcher,
    private readonly settings: SimSettings,
  ) {}

  /**
   * A quantity changed at (item, location): `inventory_levels/update`, and `products/update` as Shopify also sends.
   * The variant's and product's `updatedAt` move with their stock whether or not that webhook is sent (a variant's
   * inventory quantity is one of its fields), so `productVariants(query: "updated_at:>=…")` finds stock changes.
   */
  inventoryLevelChanged(shop: ShopState, itemIndex: number, locationIndex: number): void {
    const at = shop.levelUpdatedAt[shop.levelIndex(itemIndex, locationIndex)]!;
    this.dispatcher.emit(shop, 'inventory_levels/update', inventoryLevelPayload(shop, itemIndex, locationIndex), at);
    const variant = shop.variants[itemIndex]!;
    const product = shop.products[variant.productIndex]!;
    variant.updatedAt = Math.max(variant.updatedAt, at);
    product.updatedAt = Math.max(product.updatedAt, at);
    if (this.settings.webhook.productUpdateOnInventoryChange) this.productChanged(shop, product);
  }

  inventoryItemChanged(shop: ShopState, item: InventoryItemRecord): void {
    this.dispatcher.emit(shop, 'inventory_items/update', inventoryItemPayload(shop, item), item.updatedAt);
  }

  productChanged(shop: ShopState, product: ProductRecord): void {
    // Building the payload walks every variant: skip it when nobody listens.
    if (!hasSubscription(shop, 'PRODUCTS_UPDATE')) {
      this.dispatcher.emit(shop, 'products/update', {}, product.updatedAt);
      return;
    }
    this.dispatcher.emit(shop, 'products/update', productPayload(shop, product), product.updatedAt);
  }

  bulkOperationFinished(shop: ShopState, operation: BulkOperationRecord): void {
    this.dispatcher.emit(shop, 'bulk_operations/finish', bulkOperationFinishPayload(shop, operation), operation.completedAt ?? Date.now());
  }
}

function hasSubscription(shop: ShopState, topic: string): boolean {
  for (const subscription of shop.webhookSubscriptions.values()) if (subscription.topic === topic) return true;
  return false;
}
