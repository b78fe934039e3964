import type { PricingExportKind } from '@understudy/contracts';

export type { PricingExportKind } from '@understudy/contracts';

/**
 * The projection as the reconciler diffs it, one kind at a time, keyset-paged
 * in key order. Tombstones are exported too (`deleted: true`): the reconciler
 * needs them to tell "deleted as of snapshot T" from "never heard of".
 * Row shapes: libs/contracts (pricing-export.ts).
 */
const iso = (column: string) => `to_char(${column} AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"')`;

/** `$1` = after (key columns as text, or null), `$2` = limit. Two-part keys compare as (a, b). */
export const EXPORT_PAGES: Record<PricingExportKind, { name: string; text: string; keyColumns: number }> = {
  variants: {
    name: 'pricing_export_variants',
    keyColumns: 1,
    text: `SELECT variant_id::text AS "variantId", product_id::text AS "productId", price::text AS price, compare_at_price::text AS "compareAtPrice",
                  ${iso('updated_at')} AS "updatedAt", ${iso('triggered_at')} AS "triggeredAt"
             FROM pricing_variants WHERE $1::bigint IS NULL OR variant_id > $1::bigint ORDER BY variant_id LIMIT $2`,
  },
  'price-lists': {
    name: 'pricing_export_price_lists',
    keyColumns: 1,
    text: `SELECT price_list_id::text AS "priceListId", currency, adjustment_type AS "adjustmentType", adjustment_value::text AS "adjustmentValue",
                  compare_at_mode AS "compareAtMode", deleted, ${iso('as_of')} AS "asOf"
             FROM pricing_price_lists WHERE $1::bigint IS NULL OR price_list_id > $1::bigint ORDER BY price_list_id LIMIT $2`,
  },
  'fixed-prices': {
    name: 'pricing_export_fixed_prices',
    keyColumns: 2,
    text: `SELECT price_list_id::text AS "priceListId", variant_id::text AS "variantId", price::text AS price, compare_at_price::text AS "compareAtPrice",
                  breaks AS "quantityPriceBreaks", deleted, ${iso('as_of')} AS "asOf"
             FROM pricing_fixed_prices WHERE $1::bigint IS NULL OR (price_list_id, variant_id) > ($1::bigint, $3::bigint)
            ORDER BY price_list_id, variant_id LIMIT $2`,
  },
  'quantity-rules': {
    name: 'pricing_export_quantity_rules',
    keyColumns: 2,
    text: `SELECT price_list_id::text AS "priceListId", variant_id::text AS "variantId", minimum, maximum, increment, deleted, ${iso('as_of')} AS "asOf"
             FROM pricing_quantity_rules WHERE $1::bigint IS NULL OR (price_list_id, variant_id) > ($1::bigint, $3::bigint)
            ORDER BY price_list_id, variant_id LIMIT $2`,
  },
  catalogs: {
    name: 'pricing_export_catalogs',
    keyColumns: 1,
    text: `SELECT catalog_id::text AS "catalogId", status, price_list_id::text AS "priceListId", deleted, ${iso('as_of')} AS "asOf"
             FROM pricing_catalogs WHERE $1::bigint IS NULL OR catalog_id > $1::bigint ORDER BY catalog_id LIMIT $2`,
  },
  'company-locations': {
    name: 'pricing_export_company_locations',
    keyColumns: 1,
    text: `SELECT company_location_id::text AS "companyLocationId", currency, catalog_ids::text[] AS "catalogIds", deleted, ${iso('as_of')} AS "asOf"
             FROM pricing_company_locations WHERE $1::bigint IS NULL OR company_location_id > $1::bigint ORDER BY company_location_id LIMIT $2`,
  },
};
