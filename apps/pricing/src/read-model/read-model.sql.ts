import type { TableName } from './rows';

/** Each table's held columns, named as the row types in rows.ts name them. */
const COLUMNS: Record<TableName, string> = {
  pricing_variants: `variant_id::text AS "variantId", price::text AS price, compare_at_price::text AS "compareAtPrice"`,
  pricing_price_lists: `price_list_id::text AS "priceListId", currency, adjustment_type AS "adjustmentType", adjustment_value::text AS "adjustmentValue",
    compare_at_mode AS "compareAtMode", as_of AS "asOf"`,
  pricing_fixed_prices: `price_list_id::text AS "priceListId", variant_id::text AS "variantId", price::text AS price, compare_at_price::text AS "compareAtPrice", breaks`,
  pricing_quantity_rules: `price_list_id::text AS "priceListId", variant_id::text AS "variantId", minimum, maximum, increment`,
  pricing_catalogs: `catalog_id::text AS "catalogId", status, price_list_id::text AS "priceListId", as_of AS "asOf"`,
  pricing_company_locations: `company_location_id::text AS "companyLocationId", currency, catalog_ids::text[] AS "catalogIds", as_of AS "asOf"`,
};

/** Tables keyed by (price_list_id, variant_id); the others by one id column. */
const SINGLE_KEY: Partial<Record<TableName, string>> = {
  pricing_variants: 'variant_id',
  pricing_price_lists: 'price_list_id',
  pricing_catalogs: 'catalog_id',
  pricing_company_locations: 'company_location_id',
};

/** pricing_variants has no tombstones; every other table's deleted rows are not held. */
const live = (table: TableName) => (table === 'pricing_variants' ? 'true' : 'NOT deleted');

/** Every row a table holds, for a full load. */
export function allRows(table: TableName): { text: string } {
  return { text: `SELECT ${COLUMNS[table]} FROM ${table} WHERE ${live(table)}` };
}

/**
 * The rows under some keys, as they stand: `$1` the ids (the price list ids
 * for the paired tables), `$2` the variant ids of the pairs. A key without a
 * row in the answer is gone (or a tombstone) and is removed from the model.
 */
export function rowsByKey(table: TableName): { name: string; text: string } {
  const column = SINGLE_KEY[table];
  const where = column ? `${column} = ANY ($1::bigint[])` : `(price_list_id, variant_id) IN (SELECT * FROM unnest($1::bigint[], $2::bigint[]))`;
  return { name: `pricing_read_model_${table}`, text: `SELECT ${COLUMNS[table]} FROM ${table} WHERE ${where} AND ${live(table)}` };
}

/**
 * The change log's high-water mark and how far it has been trimmed, in the
 * reading transaction's snapshot. Seqs commit in order (the migration's
 * advisory lock), so every change this snapshot does not see has a larger seq.
 */
export const CHANGE_LOG_MARKS = {
  name: 'pricing_change_log_marks',
  text: `SELECT greatest((SELECT max(seq) FROM pricing_changes), t.through)::text AS high, t.through::text AS trimmed,
                (SELECT as_of FROM pricing_confirmed_snapshot) AS confirmed
           FROM pricing_changes_trimmed t`,
};

/** The next page of changes after `$1`, at most `$2`. A row without `id` is a reset marker (a TRUNCATE). */
export const CHANGES_AFTER = {
  name: 'pricing_changes_after',
  text: `SELECT seq::text, table_name AS "table", id::text, variant_id::text AS "variantId" FROM pricing_changes WHERE seq > $1 ORDER BY seq LIMIT $2`,
};

/**
 * Before pruning: records the newest seq the prune below may delete (changes older than `$1` seconds), so a
 * reader whose mark is behind it knows it has missed some and reloads.
 */
export const MARK_TRIMMED = {
  name: 'pricing_changes_mark_trimmed',
  text: `UPDATE pricing_changes_trimmed SET through = greatest(through,
           coalesce((SELECT max(seq) FROM pricing_changes WHERE changed_at < clock_timestamp() - make_interval(secs => $1)), 0))`,
};

/** What pruneInBatches deletes: changes older than `$1` seconds and already covered by the trimmed mark, `$2` at a time. */
export const PRUNABLE_CHANGES = `SELECT seq FROM pricing_changes
  WHERE changed_at < clock_timestamp() - make_interval(secs => $1) AND seq <= (SELECT through FROM pricing_changes_trimmed) ORDER BY seq LIMIT $2`;

/** The channel the change log's triggers notify on (once per writing transaction). */
export const CHANGES_CHANNEL = 'pricing_changes';
