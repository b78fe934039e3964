import {
  type BulkOperationRecord,
  type CatalogRecord,
  type CompanyLocationRecord,
  type CompanyRecord,
  ID_BASE,
  type InventoryItemRecord,
  type LevelRef,
  type LocationRecord,
  type PriceListRecord,
  type ProductRecord,
  Q,
  QI,
  type QuantityName,
  type StoredQuantityName,
  type VariantRecord,
  type WebhookSubscriptionRecord,
} from './records';

export interface ShopInfo {
  domain: string;
  name: string;
  currencyCode: string;
  /** Minutes east of UTC, used for REST timestamps (`2026-11-22T10:00:00-05:00`). */
  utcOffsetMinutes: number;
  ianaTimezone: string;
  createdAt: number;
}

export interface QuantityChange {
  name: QuantityName;
  delta: number;
  quantityAfterChange: number;
}

/**
 * One shop's data. Products, variants and inventory items live in arrays
 * indexed by (id − base); inventory quantities live in one Int32Array of
 * `items × locations × 7` so 100k variants × several locations stay compact
 * and seed in well under a second.
 */
export class ShopState {
  readonly products: ProductRecord[] = [];
  readonly variants: VariantRecord[] = [];
  readonly locations: LocationRecord[] = [];
  readonly companies: CompanyRecord[] = [];
  readonly companyLocations: CompanyLocationRecord[] = [];
  readonly catalogs: CatalogRecord[] = [];
  readonly priceLists: PriceListRecord[] = [];
  quantities = new Int32Array(0);
  levelUpdatedAt = new Float64Array(0);
  stocked = new Uint8Array(0);
  readonly webhookSubscriptions = new Map<number, WebhookSubscriptionRecord>();
  readonly bulkOperations = new Map<number, BulkOperationRecord>();
  private nextId = 1;
  /** Latest write clock: every change gets a strictly later `updated_at`, as ordering by it must work. */
  private lastWriteAt = 0;

  constructor(readonly info: ShopInfo) {}

  allocateLevels(): void {
    const levels = this.variants.length * this.locations.length;
    this.quantities = new Int32Array(levels * Q);
    this.levelUpdatedAt = new Float64Array(levels);
    this.stocked = new Uint8Array(levels);
  }

  /** Ids for records created at run time (subscriptions, bulk operations, adjustment groups). */
  newId(base: number): number {
    return base + this.nextId++;
  }

  /** A write timestamp strictly after the previous one. */
  writeClock(now = Date.now()): number {
    this.lastWriteAt = Math.max(now, this.lastWriteAt + 1);
    return this.lastWriteAt;
  }

  // ---- lookups by numeric id -------------------------------------------------------------

  product(id: number): ProductRecord | undefined {
    return this.products[id - ID_BASE.Product - 1];
  }
  variant(id: number): VariantRecord | undefined {
    return this.variants[id - ID_BASE.ProductVariant - 1];
  }
  item(id: number): InventoryItemRecord | undefined {
    return this.variants[id - ID_BASE.InventoryItem - 1]?.item;
  }
  location(id: number): LocationRecord | undefined {
    return this.locations[id - ID_BASE.Location - 1];
  }
  company(id: number): CompanyRecord | undefined {
    return this.companies[id - ID_BASE.Company - 1];
  }
  companyLocation(id: number): CompanyLocationRecord | undefined {
    return this.companyLocations[id - ID_BASE.CompanyLocation - 1];
  }
  catalog(id: number): CatalogRecord | undefined {
    return this.catalogs[id - ID_BASE.CompanyLocationCatalog - 1];
  }
  priceList(id: number): PriceListRecord | undefined {
    return this.priceLists[id - ID_BASE.PriceList - 1];
  }

  // ---- inventory levels ------------------------------------------------------------------

  levelIndex(itemIndex: number, locationIndex: number): number {
    return itemIndex * this.locations.length + locationIndex;
  }

  isStocked(itemIndex: number, locationIndex: number): boolean {
    return this.stocked[this.levelIndex(itemIndex, locationIndex)] === 1;
  }

  level(itemIndex: number, locationIndex: number): LevelRef | undefined {
    if (!this.isStocked(itemIndex, locationIndex)) return undefined;
    return { __typename: 'InventoryLevel', itemIndex, locationIndex };
  }

  quantity(itemIndex: number, locationIndex: number, name: QuantityName): number {
    const base = this.levelIndex(itemIndex, locationIndex) * Q;
    const q = this.quantities;
    switch (name) {
      case 'on_hand':
        return q[base + QI.available]! + q[base + QI.committed]! + this.unavailableAt(base);
      case 'unavailable':
        return this.unavailableAt(base);
      default:
        return q[base + QI[name]]!;
    }
  }

  private unavailableAt(base: number): number {
    const q = this.quantities;
    return q[base + QI.reserved]! + q[base + QI.damaged]! + q[base + QI.safety_stock]! + q[base + QI.quality_control]!;
  }

  /** Total `available` across locations: the variant's `inventoryQuantity`. */
  totalAvailable(itemIndex: number): number {
    let total = 0;
    for (let l = 0; l < this.locations.length; l++) {
      if (this.isStocked(itemIndex, l)) total += this.quantity(itemIndex, l, 'available');
    }
    return total;
  }

  /**
   * Applies a change to one named quantity the way Shopify does: setting or
   * adjusting `on_hand` moves `available` by the same amount; every other
   * stored name changes on its own and `on_hand` follows. Returns what changed.
   */
  changeQuantity(
    itemIndex: number,
    locationIndex: number,
    name: StoredQuantityName | 'on_hand',
    change: { set: number } | { delta: number },
    now = Date.now(),
  ): QuantityChange[] {
    const base = this.levelIndex(itemIndex, locationIndex) * Q;
    const before = this.quantity(itemIndex, locationIndex, name);
    const delta = 'set' in change ? change.set - before : change.delta;
    const stored: StoredQuantityName = name === 'on_hand' ? 'available' : name;
    this.quantities[base + QI[stored]] += delta;
    const at = this.writeClock(now);
    this.levelUpdatedAt[this.levelIndex(itemIndex, locationIndex)] = at;
    const changes: QuantityChange[] = [{ name, delta, quantityAfterChange: this.quantity(itemIndex, locationIndex, name) }];
    if (name === 'on_hand') changes.push({ name: 'available', delta, quantityAfterChange: this.quantity(itemIndex, locationIndex, 'available') });
    else if (name !== 'incoming') changes.push({ name: 'on_hand', delta, quantityAfterChange: this.quantity(itemIndex, locationIndex, 'on_hand') });
    return changes;
  }

  /** Stocks an item at a location (inventoryActivate); quantities start at zero. */
  stock(itemIndex: number, locationIndex: number, now = Date.now()): void {
    const index = this.levelIndex(itemIndex, locationIndex);
    this.stocked[index] = 1;
    this.levelUpdatedAt[index] = this.writeClock(now);
  }
}
