/*
 * The service no longer runs these: quotes read the in-process read model
 * (src/read-model), which answers exactly what they would. They stay as the
 * definition of that answer and as the bench's database baseline
 * (tools/bench/suites/pricing.mjs runs them straight through pg).
 */

/**
 * The buyer: a company location with the catalogs (and their price lists) the projection knows,
 * and the instant the reconciler last confirmed the whole projection (null: never).
 */
export const BUYER = {
  name: 'pricing_buyer',
  text: `
    SELECT l.currency, l.as_of, (SELECT as_of FROM pricing_confirmed_snapshot) AS confirmed_as_of,
           coalesce(json_agg(json_build_object(
             'catalogId', c.catalog_id::text, 'status', c.status, 'asOf', c.as_of, 'priceListId', c.price_list_id::text,
             'priceList', CASE WHEN p.price_list_id IS NULL THEN NULL ELSE json_build_object(
               'currency', p.currency, 'type', p.adjustment_type, 'value', p.adjustment_value::text, 'mode', p.compare_at_mode, 'asOf', p.as_of) END
           ) ORDER BY c.catalog_id) FILTER (WHERE c.catalog_id IS NOT NULL), '[]') AS catalogs
      FROM pricing_company_locations l
      LEFT JOIN pricing_catalogs c ON c.catalog_id = ANY (l.catalog_ids) AND NOT c.deleted
      LEFT JOIN pricing_price_lists p ON p.price_list_id = c.price_list_id AND NOT p.deleted
     WHERE l.company_location_id = $1 AND NOT l.deleted
     GROUP BY l.company_location_id`,
};

/** The lines' variants with their fixed prices and quantity rules on the buyer's price lists. */
export const LINES = {
  name: 'pricing_lines',
  text: `
    SELECT v.variant_id::text AS variant_id, v.price::text AS price, v.compare_at_price::text AS compare_at_price,
           (SELECT coalesce(json_agg(json_build_object('priceListId', f.price_list_id::text, 'price', f.price::text,
                                                       'compareAtPrice', f.compare_at_price::text, 'breaks', f.breaks)), '[]')
              FROM pricing_fixed_prices f
             WHERE f.variant_id = v.variant_id AND f.price_list_id = ANY ($2::bigint[]) AND NOT f.deleted) AS fixed,
           (SELECT coalesce(json_agg(json_build_object('priceListId', r.price_list_id::text, 'minimum', r.minimum,
                                                       'maximum', r.maximum, 'increment', r.increment)), '[]')
              FROM pricing_quantity_rules r
             WHERE r.variant_id = v.variant_id AND r.price_list_id = ANY ($2::bigint[]) AND NOT r.deleted) AS rules
      FROM pricing_variants v
     WHERE v.variant_id = ANY ($1::bigint[])`,
};
