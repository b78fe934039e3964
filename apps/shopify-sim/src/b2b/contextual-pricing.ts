import type { CatalogRecord, CompanyLocationRecord, PriceListRecord, QuantityPriceBreakRecord, QuantityRuleRecord, VariantRecord } from '../store/records';
import type { ShopState } from '../store/shop';
import { adjustedMinor, minorOfCents } from './sim-money';

/**
 * `ProductVariant.contextualPricing(context: {companyLocationId})`: what a
 * buyer at that company location pays, by Shopify's B2B rules (only ACTIVE
 * catalogs; a fixed price beats the list's percentage; quantity breaks only on
 * fixed prices; the lowest price across catalogs, ties to the lowest catalog
 * id). Written independently of apps/pricing, which is tested against it.
 *
 * Shopify's answer has no quantity: `price` is the price of one unit, and
 * `quantityPriceBreaks` is the buyer's price schedule — each quantity from
 * which the best price across their catalogs changes, with that price — so a
 * client reads the price for n units as the last break at or below n, else
 * `price`. `quantityRule` is the rule of the catalog that wins one unit.
 */
export interface ContextualPricing {
  currency: string;
  priceMinor: number;
  compareAtMinor: number | null;
  breaks: ContextualBreak[];
  rule: QuantityRuleRecord | null;
}

/** One step of the schedule, shaped as a QuantityPriceBreak node (id and list of the break that opens it). */
export interface ContextualBreak extends QuantityPriceBreakRecord {
  currency: string;
  minor: number;
}

interface CatalogPrice {
  catalog: CatalogRecord;
  minor: number;
  compareAtMinor: number | null;
}

function priceAt(shop: ShopState, catalog: CatalogRecord, variant: VariantRecord, quantity: number, currency: string): CatalogPrice | null {
  if (catalog.status !== 'ACTIVE') return null;
  if (catalog.priceListIndex === null) return { catalog, minor: minorOfCents(variant.priceCents, currency), compareAtMinor: ownCompareAt(variant, currency) };
  const list = shop.priceLists[catalog.priceListIndex]!;
  if (list.currency !== currency) return null;
  const fixed = list.fixedPrices.get(variant.index);
  if (fixed) {
    let reached: QuantityPriceBreakRecord | undefined;
    for (const candidate of list.priceBreaks.get(variant.index) ?? []) {
      if (candidate.minimumQuantity <= quantity && (!reached || candidate.minimumQuantity > reached.minimumQuantity || (candidate.minimumQuantity === reached.minimumQuantity && candidate.priceCents < reached.priceCents))) {
        reached = candidate;
      }
    }
    return {
      catalog,
      minor: minorOfCents(reached ? reached.priceCents : fixed.priceCents, currency),
      compareAtMinor: fixed.compareAtCents === null ? null : minorOfCents(fixed.compareAtCents, currency),
    };
  }
  const compareAtMinor = list.compareAtMode === 'NULLIFY' || variant.compareAtCents === null ? null : adjustedMinor(variant.compareAtCents, list.adjustment, currency);
  return { catalog, minor: adjustedMinor(variant.priceCents, list.adjustment, currency), compareAtMinor };
}

function ownCompareAt(variant: VariantRecord, currency: string): number | null {
  return variant.compareAtCents === null ? null : minorOfCents(variant.compareAtCents, currency);
}

function cheapest(shop: ShopState, catalogs: readonly CatalogRecord[], variant: VariantRecord, quantity: number, currency: string): CatalogPrice | null {
  let best: CatalogPrice | null = null;
  for (const catalog of catalogs) {
    const candidate = priceAt(shop, catalog, variant, quantity, currency);
    if (!candidate) continue;
    if (!best || candidate.minor < best.minor || (candidate.minor === best.minor && candidate.catalog.id < best.catalog.id)) best = candidate;
  }
  return best;
}

export function contextualPricing(shop: ShopState, variant: VariantRecord, location: CompanyLocationRecord | undefined): ContextualPricing {
  const currency = location?.currency ?? shop.info.currencyCode;
  const catalogs = (location?.catalogIndexes ?? []).map((index) => shop.catalogs[index]!);
  const one = cheapest(shop, catalogs, variant, 1, currency);
  const priceMinor = one ? one.minor : minorOfCents(variant.priceCents, currency);
  const rule = one && one.catalog.priceListIndex !== null ? (shop.priceLists[one.catalog.priceListIndex]!.quantityRules.get(variant.index) ?? null) : null;

  const openers = new Map<number, QuantityPriceBreakRecord>();
  for (const catalog of catalogs) {
    const list: PriceListRecord | undefined = catalog.status === 'ACTIVE' && catalog.priceListIndex !== null ? shop.priceLists[catalog.priceListIndex] : undefined;
    if (!list || list.currency !== currency || !list.fixedPrices.has(variant.index)) continue;
    for (const candidate of list.priceBreaks.get(variant.index) ?? []) {
      if (candidate.minimumQuantity > 1 && !openers.has(candidate.minimumQuantity)) openers.set(candidate.minimumQuantity, candidate);
    }
  }
  const breaks: ContextualBreak[] = [];
  let previous = priceMinor;
  for (const quantity of [...openers.keys()].sort((a, b) => a - b)) {
    const minor = cheapest(shop, catalogs, variant, quantity, currency)!.minor;
    if (minor === previous) continue;
    breaks.push({ ...openers.get(quantity)!, currency, minor });
    previous = minor;
  }
  return { currency, priceMinor, compareAtMinor: one ? one.compareAtMinor : ownCompareAt(variant, currency), breaks, rule };
}
