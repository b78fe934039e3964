/**
 * Guarded upserts: a row is written only over an older version of itself
 * (base prices: (updated_at, triggered_at); B2B rows: the snapshot's as_of).
 * `RETURNING` says whether it was applied; an unapplied write is a duplicate
 * (same version) or stale (older), told apart by VERSION_OF.
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

export const UPSERT_PRICE_LIST = {
  name: 'pricing_upsert_price_list',
  text: `
    INSERT INTO pricing_price_lists AS t (price_list_id, currency, adjustment_type, adjustment_value, compare_at_mode, deleted, as_of)
    VALUES ($1, $2, $3, $4, $5, $6, $7)
    ON CONFLICT (price_list_id) DO UPDATE SET currency = EXCLUDED.currency, adjustment_type = EXCLUDED.adjustment_type, adjustment_value = EXCLUDED.adjustment_value,
      compare_at_mode = EXCLUDED.compare_at_mode, deleted = EXCLUDED.deleted, as_of = EXCLUDED.as_of, applied_at = clock_timestamp()
    WHERE t.as_of < EXCLUDED.as_of
    RETURNING 1 AS applied`,
};

export const UPSERT_FIXED_PRICE = {
  name: 'pricing_upsert_fixed_price',
  text: `
    INSERT INTO pricing_fixed_prices AS t (price_list_id, variant_id, price, compare_at_price, breaks, deleted, as_of)
    VALUES ($1, $2, $3, $4, $5, $6, $7)
    ON CONFLICT (variant_id, price_list_id) DO UPDATE SET price = EXCLUDED.price, compare_at_price = EXCLUDED.compare_at_price, breaks = EXCLUDED.breaks,
      deleted = EXCLUDED.deleted, as_of = EXCLUDED.as_of, applied_at = clock_timestamp()
    WHERE t.as_of < EXCLUDED.as_of
    RETURNING 1 AS applied`,
};

export const UPSERT_QUANTITY_RULE = {
  name: 'pricing_upsert_quantity_rule',
  text: `
    INSERT INTO pricing_quantity_rules AS t (price_list_id, variant_id, minimum, maximum, increment, deleted, as_of)
    VALUES ($1, $2, $3, $4, $5, $6, $7)
    ON CONFLICT (variant_id, price_list_id) DO UPDATE SET minimum = EXCLUDED.minimum, maximum = EXCLUDED.maximum, increment = EXCLUDED.increment,
      deleted = EXCLUDED.deleted, as_of = EXCLUDED.as_of, applied_at = clock_timestamp()
    WHERE t.as_of < EXCLUDED.as_of
    RETURNING 1 AS applied`,
};

export const UPSERT_CATALOG = {
  name: 'pricing_upsert_catalog',
  text: `
    INSERT INTO pricing_catalogs AS t (catalog_id, status, price_list_id, deleted, as_of)
    VALUES ($1, $2, $3, $4, $5)
    ON CONFLICT (catalog_id) DO UPDATE SET status = EXCLUDED.status, price_list_id = EXCLUDED.price_list_id, deleted = EXCLUDED.deleted,
      as_of = EXCLUDED.as_of, applied_at = clock_timestamp()
    WHERE t.as_of < EXCLUDED.as_of
    RETURNING 1 AS applied`,
};

export const UPSERT_COMPANY_LOCATION = {
  name: 'pricing_upsert_company_location',
  text: `
    INSERT INTO pricing_company_locations AS t (company_location_id, currency, catalog_ids, deleted, as_of)
    VALUES ($1, $2, $3, $4, $5)
    ON CONFLICT (company_location_id) DO UPDATE SET currency = EXCLUDED.currency, catalog_ids = EXCLUDED.catalog_ids, deleted = EXCLUDED.deleted,
      as_of = EXCLUDED.as_of, applied_at = clock_timestamp()
    WHERE t.as_of < EXCLUDED.as_of
    RETURNING 1 AS applied`,
};

/** The stored as_of of a B2B row, by table and key (for telling a duplicate from a stale fact). */
export const FACT_AS_OF: Record<string, { name: string; text: string }> = {
  price_list: { name: 'pricing_as_of_price_list', text: `SELECT as_of = $2::timestamptz AS same FROM pricing_price_lists WHERE price_list_id = $1` },
  fixed_price: { name: 'pricing_as_of_fixed_price', text: `SELECT as_of = $3::timestamptz AS same FROM pricing_fixed_prices WHERE price_list_id = $1 AND variant_id = $2` },
  quantity_rule: { name: 'pricing_as_of_quantity_rule', text: `SELECT as_of = $3::timestamptz AS same FROM pricing_quantity_rules WHERE price_list_id = $1 AND variant_id = $2` },
  catalog: { name: 'pricing_as_of_catalog', text: `SELECT as_of = $2::timestamptz AS same FROM pricing_catalogs WHERE catalog_id = $1` },
  company_location: { name: 'pricing_as_of_company_location', text: `SELECT as_of = $2::timestamptz AS same FROM pricing_company_locations WHERE company_location_id = $1` },
};

/** A run's end mark on one partition: only a newer run's replaces it. */
export const UPSERT_SNAPSHOT_MARK = {
  name: 'pricing_upsert_snapshot_mark',
  text: `
    INSERT INTO pricing_snapshot_marks AS t (partition, partitions, as_of) VALUES ($1, $2, $3)
    ON CONFLICT (partition) DO UPDATE SET partitions = EXCLUDED.partitions, as_of = EXCLUDED.as_of, applied_at = clock_timestamp()
    WHERE t.as_of < EXCLUDED.as_of
    RETURNING 1 AS applied`,
};

export const SNAPSHOT_MARK_AS_OF = {
  name: 'pricing_as_of_snapshot_mark',
  text: `SELECT as_of = $2::timestamptz AS same FROM pricing_snapshot_marks WHERE partition = $1`,
};
