import { applyPercentage, type Decimal, type PercentageAdjustment, parseDecimal, parseMoney, toMinor } from './money';

/**
 * Shopify's B2B pricing rules for one variant and one buyer, as pure
 * functions (see docs/pricing.md for the sources and for our decisions where
 * Shopify is silent):
 *
 * - only ACTIVE catalogs count; a catalog without a price list sells at the
 *   variant's own price;
 * - within a price list, a fixed price beats the list's percentage
 *   adjustment; a quantity price break (the largest minimumQuantity ≤ the
 *   quantity) applies only where the list has a fixed price for the variant;
 * - across catalogs the lowest price wins; ties go to the lowest catalog id;
 * - the quantity rule is the one of the catalog that wins the variant's
 *   headline price (quantity 1), because Shopify's quantityRule does not
 *   depend on the quantity; default minimum 1, no maximum, increment 1.
 *
 * No currency conversion: an offer counts only in the buyer's currency (a
 * price list in another currency is ignored) and a variant's own price is
 * taken in the buyer's currency as it stands, rounded to its minor unit.
 */

export type CatalogStatus = 'ACTIVE' | 'ARCHIVED' | 'DRAFT';
export type CompareAtMode = 'ADJUSTED' | 'NULLIFY';
export type PriceSource = 'base' | 'fixed' | 'adjusted' | 'quantity_break';

export interface QuantityRule {
  minimum: number;
  maximum: number | null;
  increment: number;
}

export const DEFAULT_QUANTITY_RULE: QuantityRule = Object.freeze({ minimum: 1, maximum: null, increment: 1 });

/** The variant's own prices (decimal strings in the shop's currency). */
export interface VariantPrice {
  price: string;
  compareAtPrice: string | null;
}

/** What one price list says about one variant. */
export interface PriceListForVariant {
  id: string;
  currency: string;
  /** `PriceListParent.adjustment`; null when the list has no parent. */
  adjustment: PercentageAdjustment | null;
  compareAtMode: CompareAtMode;
  fixedPrice: { price: string; compareAtPrice: string | null } | null;
  quantityPriceBreaks: ReadonlyArray<{ minimumQuantity: number; price: string }>;
  quantityRule: QuantityRule | null;
}

export interface CatalogForVariant {
  /** Numeric id as a decimal string (ties break on it numerically). */
  id: string;
  status: CatalogStatus;
  priceList: PriceListForVariant | null;
}

export interface Offer {
  unitPrice: bigint;
  compareAtPrice: bigint | null;
  source: PriceSource;
  catalogId: string | null;
  priceListId: string | null;
}

export interface PricedVariant extends Offer {
  quantityRule: QuantityRule;
}

function decimalOf(text: string): Decimal {
  const amount = parseDecimal(text);
  if (!amount) throw new RangeError(`not a decimal amount: ${JSON.stringify(text)}`);
  return amount;
}

function baseOffer(variant: VariantPrice, currency: string, catalogId: string | null, priceListId: string | null): Offer {
  return {
    unitPrice: parseMoney(variant.price, currency),
    compareAtPrice: variant.compareAtPrice === null ? null : parseMoney(variant.compareAtPrice, currency),
    source: 'base',
    catalogId,
    priceListId,
  };
}

/** The largest minimumQuantity ≤ quantity (ties between equal minimums: the lower price). */
export function quantityBreakFor(
  breaks: ReadonlyArray<{ minimumQuantity: number; price: string }>,
  quantity: number,
  currency: string,
): { minimumQuantity: number; price: bigint } | undefined {
  let best: { minimumQuantity: number; price: bigint } | undefined;
  for (const priceBreak of breaks) {
    if (priceBreak.minimumQuantity > quantity) continue;
    const price = parseMoney(priceBreak.price, currency);
    if (!best || priceBreak.minimumQuantity > best.minimumQuantity || (priceBreak.minimumQuantity === best.minimumQuantity && price < best.price)) {
      best = { minimumQuantity: priceBreak.minimumQuantity, price };
    }
  }
  return best;
}

/** What one catalog offers the buyer for `quantity` units, or undefined when it does not count. */
export function catalogOffer(catalog: CatalogForVariant, variant: VariantPrice, quantity: number, buyerCurrency: string): Offer | undefined {
  if (catalog.status !== 'ACTIVE') return undefined;
  const list = catalog.priceList;
  if (list === null) return baseOffer(variant, buyerCurrency, catalog.id, null);
  if (list.currency !== buyerCurrency) return undefined;
  if (list.fixedPrice) {
    const fixedCompareAt = list.fixedPrice.compareAtPrice === null ? null : parseMoney(list.fixedPrice.compareAtPrice, list.currency);
    const priceBreak = quantityBreakFor(list.quantityPriceBreaks, quantity, list.currency);
    return {
      unitPrice: priceBreak ? priceBreak.price : parseMoney(list.fixedPrice.price, list.currency),
      compareAtPrice: fixedCompareAt,
      source: priceBreak ? 'quantity_break' : 'fixed',
      catalogId: catalog.id,
      priceListId: list.id,
    };
  }
  if (list.adjustment === null) return baseOffer(variant, list.currency, catalog.id, list.id);
  const adjustment = list.adjustment;
  const compareAtPrice =
    variant.compareAtPrice === null || list.compareAtMode === 'NULLIFY' ? null : applyPercentage(decimalOf(variant.compareAtPrice), adjustment, list.currency);
  return { unitPrice: applyPercentage(decimalOf(variant.price), adjustment, list.currency), compareAtPrice, source: 'adjusted', catalogId: catalog.id, priceListId: list.id };
}

function compareIds(a: string | null, b: string | null): number {
  if (a === b) return 0;
  if (a === null) return 1;
  if (b === null) return -1;
  const x = BigInt(a);
  const y = BigInt(b);
  return x < y ? -1 : x > y ? 1 : 0;
}

/** Lower price first; equal prices: the lower catalog id. */
function better(a: Offer, b: Offer): boolean {
  if (a.unitPrice !== b.unitPrice) return a.unitPrice < b.unitPrice;
  return compareIds(a.catalogId, b.catalogId) < 0;
}

function winningOffer(catalogs: readonly CatalogForVariant[], variant: VariantPrice, quantity: number, buyerCurrency: string): { offer: Offer; catalog: CatalogForVariant | null } {
  let best: { offer: Offer; catalog: CatalogForVariant | null } | undefined;
  for (const catalog of catalogs) {
    const offer = catalogOffer(catalog, variant, quantity, buyerCurrency);
    if (offer && (!best || better(offer, best.offer))) best = { offer, catalog };
  }
  return best ?? { offer: baseOffer(variant, buyerCurrency, null, null), catalog: null };
}

/** The unit price a buyer with these catalogs pays for `quantity` units, and the quantity rule that binds them. */
export function priceVariant(input: { catalogs: readonly CatalogForVariant[]; variant: VariantPrice; quantity: number; buyerCurrency: string }): PricedVariant {
  const atQuantity = winningOffer(input.catalogs, input.variant, input.quantity, input.buyerCurrency);
  const headline = input.quantity === 1 ? atQuantity : winningOffer(input.catalogs, input.variant, 1, input.buyerCurrency);
  return { ...atQuantity.offer, quantityRule: headline.catalog?.priceList?.quantityRule ?? DEFAULT_QUANTITY_RULE };
}

export type QuantityRuleBreach = 'minimum' | 'maximum' | 'increment';

/** Which part of the rule a quantity breaks, if any: below the minimum, above the maximum, or not a multiple of the increment. */
export function quantityRuleBreach(rule: QuantityRule, quantity: number): QuantityRuleBreach | undefined {
  if (quantity < rule.minimum) return 'minimum';
  if (rule.maximum !== null && quantity > rule.maximum) return 'maximum';
  if (quantity % rule.increment !== 0) return 'increment';
  return undefined;
}

/** The amount in the buyer's currency as minor units, for callers holding a decimal string. */
export function minorOf(text: string, currency: string): bigint {
  return toMinor(decimalOf(text), currency);
}
