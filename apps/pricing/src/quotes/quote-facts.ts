import type { CatalogForVariant, CatalogStatus, CompareAtMode, QuoteLineFacts } from '../rules';

/** A row of BUYER (quotes.sql.ts). */
export interface BuyerRow {
  currency: string | null;
  as_of: Date | string;
  /** pricing_confirmed_snapshot: every row was equal to Shopify's as of this instant. */
  confirmed_as_of: Date | string | null;
  catalogs: Array<{
    catalogId: string;
    status: CatalogStatus | null;
    asOf: string;
    priceListId: string | null;
    priceList: { currency: string | null; type: 'PERCENTAGE_DECREASE' | 'PERCENTAGE_INCREASE' | null; value: string | null; mode: CompareAtMode | null; asOf: string } | null;
  }>;
}

/** A row of LINES (quotes.sql.ts). */
export interface LineRow {
  variant_id: string;
  price: string;
  compare_at_price: string | null;
  fixed: Array<{ priceListId: string; price: string | null; compareAtPrice: string | null; breaks: Array<{ minimumQuantity: number; price: string }> }>;
  rules: Array<{ priceListId: string; minimum: number | null; maximum: number | null; increment: number | null }>;
}

/** A catalog as far as the projection knows it, without the per-variant parts. */
export interface BuyerCatalog {
  id: string;
  status: CatalogStatus;
  priceList: { id: string; currency: string; adjustment: { type: 'PERCENTAGE_DECREASE' | 'PERCENTAGE_INCREASE'; value: string } | null; compareAtMode: CompareAtMode } | null;
}

export interface Buyer {
  currency: string;
  catalogs: BuyerCatalog[];
  /**
   * How fresh the buyer's prices are: the oldest snapshot among the rows they come from, or the
   * reconciler's last confirmation of the whole projection if that is newer.
   */
  asOf: string;
}

/**
 * The buyer's catalogs as the rules see them. A catalog whose price list the
 * projection does not hold (yet) is left out rather than priced as if it had
 * none: selling at the variant's own price by mistake is worse than waiting
 * for the next reconcile run (asOf tells the caller how fresh the data is).
 */
export function buyerFromRow(row: BuyerRow): Buyer | undefined {
  if (row.currency === null) return undefined;
  const times = [new Date(row.as_of).toISOString()];
  const catalogs: BuyerCatalog[] = [];
  for (const catalog of row.catalogs) {
    if (catalog.status === null) continue;
    times.push(new Date(catalog.asOf).toISOString());
    if (catalog.priceListId === null) {
      catalogs.push({ id: catalog.catalogId, status: catalog.status, priceList: null });
      continue;
    }
    const list = catalog.priceList;
    if (!list || list.currency === null || list.mode === null) continue;
    times.push(new Date(list.asOf).toISOString());
    catalogs.push({
      id: catalog.catalogId,
      status: catalog.status,
      priceList: {
        id: catalog.priceListId,
        currency: list.currency,
        adjustment: list.type !== null && list.value !== null ? { type: list.type, value: list.value } : null,
        compareAtMode: list.mode,
      },
    });
  }
  const oldest = times.sort()[0]!;
  const confirmed = row.confirmed_as_of === null ? null : new Date(row.confirmed_as_of).toISOString();
  return { currency: row.currency, catalogs, asOf: confirmed !== null && confirmed > oldest ? confirmed : oldest };
}

/** The price list ids whose fixed prices and rules a quote for this buyer needs. */
export function priceListIds(buyer: Buyer | undefined): string[] {
  return buyer ? buyer.catalogs.flatMap((c) => (c.priceList ? [c.priceList.id] : [])) : [];
}

/**
 * The buyer's primary price list: that of the lowest-id ACTIVE catalog with a
 * price list in the buyer's currency (the quote's top-level `priceListId`;
 * each line names the list that actually priced it).
 */
export function primaryPriceListId(buyer: Buyer | undefined): string | null {
  if (!buyer) return null;
  const candidates = buyer.catalogs.filter((c) => c.status === 'ACTIVE' && c.priceList && c.priceList.currency === buyer.currency);
  candidates.sort((a, b) => (BigInt(a.id) < BigInt(b.id) ? -1 : 1));
  return candidates[0]?.priceList?.id ?? null;
}

/** One line's facts for the rules: the variant's own price and each buyer catalog with this variant's fixed price and rule. */
export function lineFacts(line: { variantId: string; quantity: number }, row: LineRow, buyer: Buyer | undefined): QuoteLineFacts {
  const fixedByList = new Map(row.fixed.map((f) => [f.priceListId, f]));
  const ruleByList = new Map(row.rules.map((r) => [r.priceListId, r]));
  const catalogs: CatalogForVariant[] = (buyer?.catalogs ?? []).map((catalog) => {
    if (!catalog.priceList) return { id: catalog.id, status: catalog.status, priceList: null };
    const fixed = fixedByList.get(catalog.priceList.id);
    const rule = ruleByList.get(catalog.priceList.id);
    return {
      id: catalog.id,
      status: catalog.status,
      priceList: {
        ...catalog.priceList,
        fixedPrice: fixed && fixed.price !== null ? { price: fixed.price, compareAtPrice: fixed.compareAtPrice } : null,
        quantityPriceBreaks: fixed && fixed.price !== null ? fixed.breaks : [],
        quantityRule: rule && rule.minimum !== null && rule.increment !== null ? { minimum: rule.minimum, maximum: rule.maximum, increment: rule.increment } : null,
      },
    };
  });
  return { variantId: line.variantId, quantity: line.quantity, variant: { price: row.price, compareAtPrice: row.compare_at_price }, catalogs };
}
