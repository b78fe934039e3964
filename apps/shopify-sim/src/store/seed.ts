import { randomInt, seededRandom } from './random';
import {
  type CatalogRecord,
  type CompanyLocationRecord,
  type CompanyRecord,
  ID_BASE,
  type InventoryItemRecord,
  type LocationRecord,
  type PriceListRecord,
  type ProductRecord,
  Q,
  QI,
  type QuantityPriceBreakRecord,
  type QuantityRuleRecord,
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
  /** B2B catalogs, each with its own price list (default: up to 3 when there are companies). */
  priceLists?: number;
  seed: number;
}

/** Every seeded timestamp counts from here, so a seed gives byte-identical data on every run. */
export const SEED_EPOCH = Date.UTC(2026, 0, 1);

const COLOURS = ['Black', 'White', 'Red', 'Blue', 'Green', 'Grey', 'Navy', 'Sand'];
const SIZES = ['XS', 'S', 'M', 'L', 'XL', 'XXL'];
const NOUNS = ['Tee', 'Hoodie', 'Cap', 'Jacket', 'Sock', 'Bag', 'Mug', 'Scarf', 'Jean', 'Boot'];
const ADJECTIVES = ['Classic', 'Organic', 'Heavy', 'Light', 'Vintage', 'Everyday', 'Trail', 'Studio'];
const CITIES: Array<[string, string, string]> = [
  ['Ottawa', 'CA', 'K1P 1J1'],
  ['Toronto', 'CA', 'M5V 2T6'],
  ['Chicago', 'US', '60601'],
  ['Austin', 'US', '73301'],
  ['Berlin', 'DE', '10115'],
  ['Leeds', 'GB', 'LS1 1UR'],
];
const CURRENCIES = ['USD', 'CAD', 'EUR', 'GBP'];

/** Builds a shop deterministically from a seed: the same options always give the same data. */
export function seedShop(options: SeedOptions): ShopState {
  const random = seededRandom(options.seed);
  const shop = new ShopState({
    domain: options.shop,
    name: options.shop.replace(/\.myshopify\.com$/, ''),
    currencyCode: 'USD',
    utcOffsetMinutes: -300,
    ianaTimezone: 'America/New_York',
    createdAt: SEED_EPOCH,
  });
  const productCount = Math.max(1, Math.min(options.products ?? Math.ceil(options.variants / 4), options.variants || 1));

  for (let p = 0; p < productCount; p++) {
    const title = `${ADJECTIVES[p % ADJECTIVES.length]} ${NOUNS[Math.floor(p / ADJECTIVES.length) % NOUNS.length]} ${p + 1}`;
    const createdAt = SEED_EPOCH + p * 1000;
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
    const createdAt = SEED_EPOCH + v * 10;
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
      createdAt: SEED_EPOCH,
      updatedAt: SEED_EPOCH,
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

function seedB2b(shop: ShopState, options: SeedOptions, random: () => number): void {
  const priceListCount = options.priceLists ?? (options.companies > 0 ? Math.min(3, options.companies) : 0);
  for (let i = 0; i < priceListCount; i++) {
    const priceList: PriceListRecord = {
      __typename: 'PriceList',
      index: i,
      id: ID_BASE.PriceList + i + 1,
      name: `Wholesale tier ${i + 1}`,
      currency: CURRENCIES[i % CURRENCIES.length]!,
      adjustment: { type: 'PERCENTAGE_DECREASE', value: 10 + 5 * i },
      catalogIndex: i,
      fixedPrices: new Map(),
      fixedVariantIndexes: [],
      priceBreaks: new Map(),
      quantityRules: new Map(),
      ruleVariantIndexes: [],
    };
    let breakId = ID_BASE.QuantityPriceBreak + i * 10_000_000;
    for (let v = i; v < shop.variants.length; v += 20) {
      const variant = shop.variants[v]!;
      const fixed = Math.round(variant.priceCents * (0.7 + random() * 0.1));
      priceList.fixedPrices.set(v, { priceCents: fixed, compareAtCents: null });
      priceList.fixedVariantIndexes.push(v);
      if ((v - i) % 40 === 0) {
        const breaks: QuantityPriceBreakRecord[] = [
          { __typename: 'QuantityPriceBreak', id: ++breakId, variantIndex: v, priceListIndex: i, minimumQuantity: 10, priceCents: Math.round(fixed * 0.95) },
          { __typename: 'QuantityPriceBreak', id: ++breakId, variantIndex: v, priceListIndex: i, minimumQuantity: 50, priceCents: Math.round(fixed * 0.9) },
        ];
        priceList.priceBreaks.set(v, breaks);
      }
    }
    for (let v = i; v < shop.variants.length; v += 25) {
      const rule: QuantityRuleRecord = {
        __typename: 'QuantityRule',
        variantIndex: v,
        priceListIndex: i,
        minimum: 5,
        maximum: v % 50 === 0 ? 500 : null,
        increment: 5,
      };
      priceList.quantityRules.set(v, rule);
      priceList.ruleVariantIndexes.push(v);
    }
    shop.priceLists.push(priceList);
    const catalog: CatalogRecord = {
      __typename: 'CompanyLocationCatalog',
      index: i,
      id: ID_BASE.CompanyLocationCatalog + i + 1,
      title: `Wholesale catalog ${i + 1}`,
      status: 'ACTIVE',
      priceListIndex: i,
      companyLocationIndexes: [],
    };
    shop.catalogs.push(catalog);
  }

  for (let c = 0; c < options.companies; c++) {
    const company: CompanyRecord = {
      __typename: 'Company',
      index: c,
      id: ID_BASE.Company + c + 1,
      name: `${ADJECTIVES[c % ADJECTIVES.length]} Retail ${c + 1}`,
      externalId: `CUST-${String(c + 1).padStart(5, '0')}`,
      createdAt: SEED_EPOCH + c * 60_000,
      updatedAt: SEED_EPOCH + c * 60_000,
      locationIndexes: [],
    };
    shop.companies.push(company);
    const locationCount = 1 + Math.floor(random() * 3);
    for (let k = 0; k < locationCount; k++) {
      const index = shop.companyLocations.length;
      const catalogIndex = shop.catalogs.length ? index % shop.catalogs.length : -1;
      const location: CompanyLocationRecord = {
        __typename: 'CompanyLocation',
        index,
        id: ID_BASE.CompanyLocation + index + 1,
        companyIndex: c,
        name: `${company.name} — ${CITIES[(c + k) % CITIES.length]![0]}`,
        externalId: `${company.externalId}-${k + 1}`,
        currency: catalogIndex >= 0 ? shop.priceLists[shop.catalogs[catalogIndex]!.priceListIndex!]!.currency : 'USD',
        catalogIndexes: catalogIndex >= 0 ? [catalogIndex] : [],
        createdAt: company.createdAt,
        updatedAt: company.updatedAt,
      };
      shop.companyLocations.push(location);
      company.locationIndexes.push(index);
      if (catalogIndex >= 0) shop.catalogs[catalogIndex]!.companyLocationIndexes.push(index);
    }
  }
}
