import { parseId } from '@understudy/shopify';
import { randomInt } from '../store/random';
import { QUANTITY_NAMES, type StoredQuantityName } from '../store/records';
import type { ShopState } from '../store/shop';
import type { ShopEvents } from '../webhooks/shop-events';

/**
 * Changes made the way a merchant (admin edits) or a storefront order would
 * make them, outside any app's Admin API calls — each one raises the
 * webhooks Shopify would raise.
 */
export type MerchantChange =
  | { kind: 'set'; inventoryItemId: string; locationId: string; name?: StoredQuantityName | 'on_hand'; quantity: number }
  | { kind: 'adjust'; inventoryItemId: string; locationId: string; name?: StoredQuantityName | 'on_hand'; delta: number }
  | { kind: 'order'; variantId: string; locationId?: string; quantity: number }
  | { kind: 'item'; inventoryItemId: string; tracked?: boolean; costCents?: number }
  | { kind: 'product'; productId: string; title?: string; status?: 'ACTIVE' | 'ARCHIVED' | 'DRAFT' };

export type ChangeResult = { ok: true; level?: { inventoryItemId: number; locationId: number; available: number } } | { ok: false; error: string };

export function applyMerchantChange(shop: ShopState, change: MerchantChange, events: ShopEvents, now = Date.now()): ChangeResult {
  switch (change.kind) {
    case 'set':
    case 'adjust': {
      const item = lookupItem(shop, change.inventoryItemId);
      const location = lookupLocation(shop, change.locationId);
      if (!item || !location) return { ok: false, error: !item ? 'unknown inventory item' : 'unknown location' };
      if (!shop.isStocked(item.index, location.index)) shop.stock(item.index, location.index, now);
      const name = change.name ?? 'available';
      shop.changeQuantity(item.index, location.index, name, change.kind === 'set' ? { set: change.quantity } : { delta: change.delta }, now);
      events.inventoryLevelChanged(shop, item.index, location.index);
      return { ok: true, level: levelSummary(shop, item.index, location.index) };
    }
    case 'order': {
      const variantId = parseId(change.variantId, 'ProductVariant');
      const variant = variantId === undefined ? undefined : shop.variant(Number(variantId));
      if (!variant) return { ok: false, error: 'unknown variant' };
      const location = change.locationId ? lookupLocation(shop, change.locationId) : firstStocked(shop, variant.index);
      if (!location || !shop.isStocked(variant.index, location.index)) return { ok: false, error: 'variant not stocked at that location' };
      placeOrder(shop, variant.index, location.index, change.quantity, now);
      events.inventoryLevelChanged(shop, variant.index, location.index);
      return { ok: true, level: levelSummary(shop, variant.index, location.index) };
    }
    case 'item': {
      const item = lookupItem(shop, change.inventoryItemId);
      if (!item) return { ok: false, error: 'unknown inventory item' };
      if (change.tracked !== undefined) item.tracked = change.tracked;
      if (change.costCents !== undefined) item.costCents = change.costCents;
      item.updatedAt = shop.writeClock(now);
      events.inventoryItemChanged(shop, item);
      return { ok: true };
    }
    case 'product': {
      const productId = parseId(change.productId, 'Product');
      const product = productId === undefined ? undefined : shop.product(Number(productId));
      if (!product) return { ok: false, error: 'unknown product' };
      if (change.title !== undefined) product.title = change.title;
      if (change.status !== undefined) product.status = change.status;
      product.updatedAt = shop.writeClock(now);
      events.productChanged(shop, product);
      return { ok: true };
    }
  }
}

/** An order moves stock from available to committed (Shopify's order-placed behaviour). */
function placeOrder(shop: ShopState, itemIndex: number, locationIndex: number, quantity: number, now: number): void {
  shop.changeQuantity(itemIndex, locationIndex, 'available', { delta: -quantity }, now);
  shop.changeQuantity(itemIndex, locationIndex, 'committed', { delta: quantity }, now);
}

function lookupItem(shop: ShopState, id: string) {
  const itemId = parseId(id, 'InventoryItem');
  return itemId === undefined ? undefined : shop.item(Number(itemId));
}

function lookupLocation(shop: ShopState, id: string) {
  const locationId = parseId(id, 'Location');
  return locationId === undefined ? undefined : shop.location(Number(locationId));
}

function firstStocked(shop: ShopState, itemIndex: number) {
  return shop.locations.find((location) => shop.isStocked(itemIndex, location.index));
}

function levelSummary(shop: ShopState, itemIndex: number, locationIndex: number) {
  return {
    inventoryItemId: shop.variants[itemIndex]!.item.id,
    locationId: shop.locations[locationIndex]!.id,
    available: shop.quantity(itemIndex, locationIndex, 'available'),
  };
}

export interface FlashSaleOptions {
  changesPerSecond: number;
  durationSeconds: number;
  /** Orders buy from the first `hotVariants` variants (a flash sale is concentrated), default all. */
  hotVariants?: number;
  maxQuantity?: number;
  seed?: number;
}

export interface FlashSaleStatus {
  id: string;
  shop: string;
  state: 'running' | 'finished' | 'stopped';
  changesPerSecond: number;
  durationSeconds: number;
  applied: number;
  startedAt: string;
  finishedAt: string | null;
}

/**
 * A burst of orders at a fixed rate for a fixed time: every 50 ms it places
 * its share of the second's orders on random stocked, tracked levels. Bounded
 * by construction (rate × duration); `stop()` ends it early.
 */
export class FlashSale {
  readonly status: FlashSaleStatus;
  private timer: NodeJS.Timeout | undefined;
  private readonly random: () => number;

  constructor(
    private readonly shop: ShopState,
    private readonly options: FlashSaleOptions,
    private readonly events: ShopEvents,
    random: () => number,
    onDone: () => void,
  ) {
    this.random = random;
    this.status = {
      id: crypto.randomUUID(),
      shop: shop.info.domain,
      state: 'running',
      changesPerSecond: options.changesPerSecond,
      durationSeconds: options.durationSeconds,
      applied: 0,
      startedAt: new Date().toISOString(),
      finishedAt: null,
    };
    const tickMs = 50;
    const started = Date.now();
    const total = Math.round(options.changesPerSecond * options.durationSeconds);
    this.timer = setInterval(() => {
      const due = Math.min(total, Math.floor(((Date.now() - started) / 1000) * options.changesPerSecond));
      while (this.status.applied < due) this.placeRandomOrder();
      if (this.status.applied >= total) {
        this.finish('finished');
        onDone();
      }
    }, tickMs);
  }

  stop(): void {
    if (this.status.state === 'running') this.finish('stopped');
  }

  private finish(state: 'finished' | 'stopped'): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
    this.status.state = state;
    this.status.finishedAt = new Date().toISOString();
  }

  private placeRandomOrder(): void {
    const shop = this.shop;
    const pool = Math.max(1, Math.min(this.options.hotVariants ?? shop.variants.length, shop.variants.length));
    for (let attempt = 0; attempt < 20; attempt++) {
      const itemIndex = Math.floor(this.random() * pool);
      const locationIndex = Math.floor(this.random() * shop.locations.length);
      if (!shop.isStocked(itemIndex, locationIndex) || !shop.variants[itemIndex]!.item.tracked) continue;
      placeOrder(shop, itemIndex, locationIndex, randomInt(this.random, 1, this.options.maxQuantity ?? 3), Date.now());
      this.events.inventoryLevelChanged(shop, itemIndex, locationIndex);
      break;
    }
    this.status.applied++;
  }
}

export const STORED_QUANTITY_NAMES = QUANTITY_NAMES;
