import type { CatalogStatus, CompareAtMode } from '../rules';

/**
 * The projection's rows as the read model holds them: ids and money as
 * decimal strings (ids may exceed 2^53; money stays exact), times as ISO
 * strings. Tombstones are never held: a deleted row is an absent one.
 * READ_ROWS (read-model.sql.ts) selects exactly these shapes.
 */
export interface VariantRow {
  variantId: string;
  price: string;
  compareAtPrice: string | null;
}

export interface PriceListRow {
  priceListId: string;
  currency: string | null;
  adjustmentType: 'PERCENTAGE_DECREASE' | 'PERCENTAGE_INCREASE' | null;
  adjustmentValue: string | null;
  compareAtMode: CompareAtMode | null;
  asOf: string;
}

export interface FixedPriceRow {
  priceListId: string;
  variantId: string;
  price: string | null;
  compareAtPrice: string | null;
  breaks: Array<{ minimumQuantity: number; price: string }>;
}

export interface QuantityRuleRow {
  priceListId: string;
  variantId: string;
  minimum: number | null;
  maximum: number | null;
  increment: number | null;
}

export interface CatalogRow {
  catalogId: string;
  status: CatalogStatus | null;
  priceListId: string | null;
  asOf: string;
}

export interface CompanyLocationRow {
  companyLocationId: string;
  currency: string | null;
  catalogIds: string[];
  asOf: string;
}

/** Each projection table's row type, by table name (the change log's `table_name`). */
export interface TableRow {
  pricing_variants: VariantRow;
  pricing_price_lists: PriceListRow;
  pricing_fixed_prices: FixedPriceRow;
  pricing_quantity_rules: QuantityRuleRow;
  pricing_catalogs: CatalogRow;
  pricing_company_locations: CompanyLocationRow;
}

export type TableName = keyof TableRow;

export const TABLE_NAMES: readonly TableName[] = [
  'pricing_variants',
  'pricing_price_lists',
  'pricing_fixed_prices',
  'pricing_quantity_rules',
  'pricing_catalogs',
  'pricing_company_locations',
];

export function isTableName(name: string): name is TableName {
  return (TABLE_NAMES as readonly string[]).includes(name);
}

/** A row's key as the change log records it: `id` (the price list for the two per-(list, variant) tables) and `variantId` for those. */
export interface RowKey {
  id: string;
  variantId: string | null;
}

/** The key of a row as the change log would name it. */
export function keyOf<T extends TableName>(table: T, row: TableRow[T]): RowKey {
  switch (table) {
    case 'pricing_variants':
      return { id: (row as VariantRow).variantId, variantId: null };
    case 'pricing_price_lists':
      return { id: (row as PriceListRow).priceListId, variantId: null };
    case 'pricing_fixed_prices':
    case 'pricing_quantity_rules': {
      const pair = row as FixedPriceRow | QuantityRuleRow;
      return { id: pair.priceListId, variantId: pair.variantId };
    }
    case 'pricing_catalogs':
      return { id: (row as CatalogRow).catalogId, variantId: null };
    default:
      return { id: (row as CompanyLocationRow).companyLocationId, variantId: null };
  }
}

/** The projection's current rows, table by table (a full load). */
export type ProjectionRows = { [T in TableName]: Array<TableRow[T]> };
