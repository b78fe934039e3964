import { seedB2b } from '../b2b/seed-b2b';
import { ADJECTIVES, CITIES } from './names';
import { randomInt, seededRandom } from './random';
import {
  ID_BASE,
  type InventoryItemRecord,
  type LocationRecord,
  type ProductRecord,
  Q,
  QI,
  type VariantRecord,
} from './records';
import { ShopState } from './shop';

export interface SeedOptions {
  shop: string;
  /** Total variants; spread over `products` (default: one product per 4 variants). */
  variants: number;
  products?: number;
  locations: number;
  companies: number;
  /** Primary B2B catalogs, each with its own price list (default: up to 3 when there are companies); see b2b/seed-b2b.ts. */
  priceLists?: number;
  seed: number;
  /**
   * When the shop is seeded (ms since the epoch; default: now). Every seeded
   * timestamp lies just before it, so a shop seeded now is newer than any event
   * an earlier shop produced — as a real catalogue created today would be —
   * and a consumer's stale-event guard takes the new shop's truth. Ids,
   * quantities and every other value depend on `seed` alone.
   */
  seededAt?: number;
}

const COLOURS = ['Black', 'White', 'Red', 'Blue', 'Green', 'Grey', 'Navy', 'Sand'];
const SIZES = ['XS', 'S', 'M', 'L', 'XL', 'XXL'];
const NOUNS = ['Tee', 'Hoodie', 'Cap', 'Jacket', 'Sock', 'Bag', 'Mug', 'Scarf', 'Jean', 'Boot'];

/**
 * The first seeded timestamp: far enough before `seededAt` that the last one
 * (products a second apart, variants 10 ms apart, companies a minute apart)
 * is a second before it, so a change made right after seeding is newer.
 */
function seedEpoch(options: SeedOptions, productCount: number): number {
  const span = Math.max(productCount * 1000, options.variants * 10, options.companies * 60_000);
  return (options.seededAt ?? Date.now()) - 1000 - span;
}

/** Builds a shop deterministically from a seed: the same options always give the same data. */
export function seedShop(options: SeedOptions): ShopState {
  const random = seededRandom(options.seed);
  const productCount = Math.max(1, Math.min(options.products ?? Math.ceil(options.variants / 4), options.variants || 1));
  const epoch = seedEpoch(options, productCount);
  const shop = new ShopState({
    domain: options.shop,
    name: options.shop.replace(/\.myshopify\.com$/, ''),
    currencyCode: 'USD',
    utcOffsetMinutes: -300,
    ianaTimezone: 'America/New_York',
    createdAt: epoch,
  });

  for (let p = 0; p < productCount; p++) {
    const title = `${ADJECTIVES[p % ADJECTIVES.length]} ${NOUNS[Math.floor(p / ADJECTIVES.length) % NOUNS.length]} ${p + 1}`;
    const createdAt = epoch + p * 1000;
    const product: ProductRecord = {
      __typename: 'Product',
      index: p,
      id: ID_BASE.Product + p + 1,
      title,
      handle: title.toLowerCase().replace(/[^a-z0-9]+/g, '-'),
      vendor: 'Understudy Supply',
      productType: NOUNS[p % NOUNS.length]!,
      status: random() < 0.97 ? 'ACTIVE' : 'DRAFT',
      createdAt,
      updatedAt: createdAt,
      variantIndexes: [],
    };
    shop.products.push(product);
  }

  for (let v = 0; v < options.variants; v++) {
    // Contiguous blocks: product p owns a run of variants, as a real catalogue's ids would be.
    const productIndex = Math.floor((v * productCount) / options.variants);
    const product = shop.products[productIndex]!;
    const position = product.variantIndexes.length + 1;
    const createdAt = epoch + v * 10;
    const priceCents = randomInt(random, 5, 200) * 100 - (random() < 0.5 ? 1 : 0);
    const variant = {
      __typename: 'ProductVariant',
      index: v,
      id: ID_BASE.ProductVariant + v + 1,
      productIndex,
      position,
      title: `${SIZES[(position - 1) % SIZES.length]} / ${COLOURS[Math.floor((position - 1) / SIZES.length) % COLOURS.length]}`,
      sku: `US-${String(productIndex + 1).padStart(6, '0')}-${String(position).padStart(2, '0')}`,
      barcode: String(4_000_000_000_000 + v),
      priceCents,
      compareAtCents: random() < 0.2 ? Math.round(priceCents * 1.25) : null,
      inventoryPolicy: random() < 0.9 ? 'DENY' : 'CONTINUE',
      createdAt,
      updatedAt: createdAt,
    } as VariantRecord;
    const item: InventoryItemRecord = {
      __typename: 'InventoryItem',
      index: v,
      id: ID_BASE.InventoryItem + v + 1,
      variant,
      tracked: random() < 0.95,
      requiresShipping: true,
      costCents: Math.round(priceCents * 0.4),
      createdAt,
      updatedAt: createdAt,
    };
    variant.item = item;
    shop.variants.push(variant);
    product.variantIndexes.push(v);
  }

  for (let l = 0; l < options.locations; l++) {
    const [city, countryCode, zip] = CITIES[l % CITIES.length]!;
    const location: LocationRecord = {
      __typename: 'Location',
      index: l,
      id: ID_BASE.Location + l + 1,
      name: l === 0 ? 'Main warehouse' : `${city} ${l + 1}`,
      isActive: true,
      fulfillsOnlineOrders: l < 2,
      address: { address1: `${100 + l} Commerce St`, city, countryCode, zip },
      createdAt: epoch,
      updatedAt: epoch,
    };
    shop.locations.push(location);
  }

  shop.allocateLevels();
  for (let v = 0; v < options.variants; v++) {
    for (let l = 0; l < options.locations; l++) {
      // Every item is stocked at the first location; the others carry 70% of the catalogue.
      if (l > 0 && random() >= 0.7) continue;
      const index = shop.levelIndex(v, l);
      shop.stocked[index] = 1;
      shop.levelUpdatedAt[index] = shop.variants[v]!.createdAt;
      const base = index * Q;
      shop.quantities[base + QI.available] = randomInt(random, 0, 120);
      shop.quantities[base + QI.committed] = randomInt(random, 0, 6);
      if (random() < 0.1) shop.quantities[base + QI.reserved] = randomInt(random, 1, 4);
      if (random() < 0.05) shop.quantities[base + QI.damaged] = randomInt(random, 1, 3);
      if (random() < 0.1) shop.quantities[base + QI.safety_stock] = 5;
      if (random() < 0.03) shop.quantities[base + QI.quality_control] = randomInt(random, 1, 2);
      if (random() < 0.15) shop.quantities[base + QI.incoming] = randomInt(random, 10, 60);
    }
  }

  seedB2b(shop, options, random);
  return shop;
}
