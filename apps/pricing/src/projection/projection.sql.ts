/**
 * Guarded upserts: a row is written only over an older version of itself
 * (base prices: (updated_at, triggered_at); B2B rows: the snapshot's as_of).
 * `RETURNING` says whether it was applied; an unapplied write is a duplicate
 * (same version) or stale (older), told apart by VARIANT_VERSION and the `asOf` lookups.
 */
export const UPSERT_VARIANT = {
  name: 'pricing_upsert_variant',
  text: `
    INSERT INTO pricing_variants AS t (variant_id, product_id, price, compare_at_price, updated_at, triggered_at)
    VALUES ($1, $2, $3, $4, $5, $6)
    ON CONFLICT (variant_id) DO UPDATE SET product_id = EXCLUDED.product_id, price = EXCLUDED.price, compare_at_price = EXCLUDED.compare_at_price,
      updated_at = EXCLUDED.updated_at, triggered_at = EXCLUDED.triggered_at, applied_at = clock_timestamp()
    WHERE (t.updated_at, t.triggered_at) < (EXCLUDED.updated_at, EXCLUDED.triggered_at)
    RETURNING 1 AS applied`,
};

export const VARIANT_VERSION = {
  name: 'pricing_variant_version',
  text: `SELECT (updated_at, triggered_at) = ($2::timestamptz, $3::timestamptz) AS same FROM pricing_variants WHERE variant_id = $1`,
};

type Statement = { name: string; text: string };

/**
 * A row versioned by a snapshot's `as_of` (every B2B row, and a run's end mark): the insert of
 * `keys` then `columns` then `as_of` ($1, $2, … in that order), updating every non-key column only
 * over an older `as_of`; and the lookup of the stored `as_of` by key (keys then as_of), which tells
 * a duplicate (same as_of) from a stale write (older).
 */
function asOfGuarded(kind: string, table: string, keys: readonly string[], columns: readonly string[]): { upsert: Statement; asOf: Statement } {
  const all = [...keys, ...columns, 'as_of'];
  const placeholders = all.map((_, i) => `$${i + 1}`).join(', ');
  const updates = [...columns, 'as_of'].map((column) => `${column} = EXCLUDED.${column}`).join(', ');
  const byKey = keys.map((key, i) => `${key} = $${i + 1}`).join(' AND ');
  return {
    upsert: {
      name: `pricing_upsert_${kind}`,
      text: `
    INSERT INTO ${table} AS t (${all.join(', ')})
    VALUES (${placeholders})
    ON CONFLICT (${keys.join(', ')}) DO UPDATE SET ${updates}, applied_at = clock_timestamp()
    WHERE t.as_of < EXCLUDED.as_of
    RETURNING 1 AS applied`,
    },
    asOf: { name: `pricing_as_of_${kind}`, text: `SELECT as_of = $${keys.length + 1}::timestamptz AS same FROM ${table} WHERE ${byKey}` },
  };
}

/**
 * The B2B rows by fact kind (libs/shopify's PricingFact), each written as its key columns, its
 * columns, `deleted` (a deletion leaves a tombstone) and the snapshot's `as_of`.
 */
export const FACT_STATEMENTS = {
  price_list: asOfGuarded('price_list', 'pricing_price_lists', ['price_list_id'], ['currency', 'adjustment_type', 'adjustment_value', 'compare_at_mode', 'deleted']),
  fixed_price: asOfGuarded('fixed_price', 'pricing_fixed_prices', ['price_list_id', 'variant_id'], ['price', 'compare_at_price', 'breaks', 'deleted']),
  quantity_rule: asOfGuarded('quantity_rule', 'pricing_quantity_rules', ['price_list_id', 'variant_id'], ['minimum', 'maximum', 'increment', 'deleted']),
  catalog: asOfGuarded('catalog', 'pricing_catalogs', ['catalog_id'], ['status', 'price_list_id', 'deleted']),
  company_location: asOfGuarded('company_location', 'pricing_company_locations', ['company_location_id'], ['currency', 'catalog_ids', 'deleted']),
} as const;

/** A run's end mark on one partition: only a newer run's replaces it. */
const SNAPSHOT_MARK = asOfGuarded('snapshot_mark', 'pricing_snapshot_marks', ['partition'], ['partitions']);
export const UPSERT_SNAPSHOT_MARK = SNAPSHOT_MARK.upsert;
export const SNAPSHOT_MARK_AS_OF = SNAPSHOT_MARK.asOf;
