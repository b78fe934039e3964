import type { BuyerRow, LineRow } from '../quotes/quote-facts';
import type { CatalogRow, CompanyLocationRow, FixedPriceRow, PriceListRow, ProjectionRows, QuantityRuleRow, RowKey, TableName, TableRow, VariantRow } from './rows';

const pairKey = (priceListId: string, variantId: string) => `${priceListId}:${variantId}`;

/**
 * The pricing projection held in memory, so a quote touches no I/O. Framework
 * free: `load` replaces everything, `apply` sets or removes one row (a row the
 * database no longer holds, or holds as a tombstone, is removed), and
 * `buyer`/`lines` answer exactly what BUYER and LINES (quotes/quotes.sql.ts)
 * answer, so quote-facts.ts and the rules are reused unchanged.
 */
export class PricingReadModel {
  private readonly variants = new Map<string, VariantRow>();
  private readonly priceLists = new Map<string, PriceListRow>();
  /** By `<priceListId>:<variantId>`. */
  private readonly fixedPrices = new Map<string, FixedPriceRow>();
  /** By `<priceListId>:<variantId>`. */
  private readonly quantityRules = new Map<string, QuantityRuleRow>();
  private readonly catalogs = new Map<string, CatalogRow>();
  private readonly companyLocations = new Map<string, CompanyLocationRow>();
  /**
   * pricing_confirmed_snapshot as of the snapshot the model is current to (set only when the
   * model holds every change of that snapshot): BUYER's `confirmed_as_of`.
   */
  confirmedAsOf: string | null = null;

  static from(rows: ProjectionRows): PricingReadModel {
    const model = new PricingReadModel();
    for (const row of rows.pricing_variants) model.variants.set(row.variantId, row);
    for (const row of rows.pricing_price_lists) model.priceLists.set(row.priceListId, row);
    for (const row of rows.pricing_fixed_prices) model.fixedPrices.set(pairKey(row.priceListId, row.variantId), row);
    for (const row of rows.pricing_quantity_rules) model.quantityRules.set(pairKey(row.priceListId, row.variantId), row);
    for (const row of rows.pricing_catalogs) model.catalogs.set(row.catalogId, row);
    for (const row of rows.pricing_company_locations) model.companyLocations.set(row.companyLocationId, row);
    return model;
  }

  /** Sets the row under `key` in `table` to `row`, or removes it when `row` is undefined (gone or a tombstone). */
  apply<T extends TableName>(table: T, key: RowKey, row: TableRow[T] | undefined): void {
    const map = this.mapOf(table);
    const id = key.variantId === null ? key.id : pairKey(key.id, key.variantId);
    if (row === undefined) map.delete(id);
    else map.set(id, row);
  }

  /** Rows held, by table (the `understudy_pricing_read_model_rows` metric). */
  sizes(): Record<TableName, number> {
    return {
      pricing_variants: this.variants.size,
      pricing_price_lists: this.priceLists.size,
      pricing_fixed_prices: this.fixedPrices.size,
      pricing_quantity_rules: this.quantityRules.size,
      pricing_catalogs: this.catalogs.size,
      pricing_company_locations: this.companyLocations.size,
    };
  }

  /** What BUYER yields for a company location (numeric id): undefined when the projection does not hold it. */
  buyer(companyLocationId: string): BuyerRow | undefined {
    const location = this.companyLocations.get(companyLocationId);
    if (!location) return undefined;
    // BUYER joins `catalog_id = ANY (catalog_ids)`: each held catalog once, in catalog id order.
    const held = [...new Set(location.catalogIds)].flatMap((id) => {
      const catalog = this.catalogs.get(id);
      return catalog ? [catalog] : [];
    });
    held.sort((a, b) => compareIds(a.catalogId, b.catalogId));
    return {
      currency: location.currency,
      as_of: location.asOf,
      confirmed_as_of: this.confirmedAsOf,
      catalogs: held.map((catalog) => {
        const list = catalog.priceListId === null ? undefined : this.priceLists.get(catalog.priceListId);
        return {
          catalogId: catalog.catalogId,
          status: catalog.status,
          asOf: catalog.asOf,
          priceListId: catalog.priceListId,
          priceList: list ? { currency: list.currency, type: list.adjustmentType, value: list.adjustmentValue, mode: list.compareAtMode, asOf: list.asOf } : null,
        };
      }),
    };
  }

  /** What LINES yields: the held variants among `variantIds`, each with its fixed prices and rules on `priceListIds`. */
  lines(variantIds: readonly string[], priceListIds: readonly string[]): LineRow[] {
    const rows: LineRow[] = [];
    for (const variantId of new Set(variantIds)) {
      const variant = this.variants.get(variantId);
      if (!variant) continue;
      const fixed: LineRow['fixed'] = [];
      const rules: LineRow['rules'] = [];
      for (const priceListId of new Set(priceListIds)) {
        const price = this.fixedPrices.get(pairKey(priceListId, variantId));
        if (price) fixed.push({ priceListId, price: price.price, compareAtPrice: price.compareAtPrice, breaks: price.breaks });
        const rule = this.quantityRules.get(pairKey(priceListId, variantId));
        if (rule) rules.push({ priceListId, minimum: rule.minimum, maximum: rule.maximum, increment: rule.increment });
      }
      rows.push({ variant_id: variantId, price: variant.price, compare_at_price: variant.compareAtPrice, fixed, rules });
    }
    return rows;
  }

  private mapOf(table: TableName): Map<string, TableRow[TableName]> {
    const maps: Record<TableName, Map<string, TableRow[TableName]>> = {
      pricing_variants: this.variants,
      pricing_price_lists: this.priceLists,
      pricing_fixed_prices: this.fixedPrices,
      pricing_quantity_rules: this.quantityRules,
      pricing_catalogs: this.catalogs,
      pricing_company_locations: this.companyLocations,
    };
    return maps[table];
  }
}

/** Numeric order of decimal id strings without leading zeros (as PostgreSQL orders the bigint). */
function compareIds(a: string, b: string): number {
  return a.length !== b.length ? a.length - b.length : a < b ? -1 : a > b ? 1 : 0;
}
