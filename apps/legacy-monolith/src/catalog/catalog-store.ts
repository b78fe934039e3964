import type { DataSource } from 'typeorm';
import { inTransaction } from '../common/legacy';
import type { CatalogSnapshot } from './catalog-snapshot';

/**
 * Replaces the monolith's copy of the catalogue with one poll's snapshot, in
 * one transaction: readers see the previous poll or this one, never a mix.
 * Reservations are the monolith's own and are left alone.
 */
export async function storeSnapshot(dataSource: DataSource, snapshot: CatalogSnapshot, syncedAt: Date): Promise<void> {
  await inTransaction(
    dataSource,
    async (client) => {
      const { variants, levels, priceLists, fixedPrices, companyLocations } = snapshot;
      await client.query(
        `INSERT INTO lm_variants (variant_id, inventory_item_id, tracked, price, synced_at)
         SELECT v, i, t, p, $5 FROM unnest($1::bigint[], $2::bigint[], $3::boolean[], $4::float8[]) AS x(v, i, t, p)
         ON CONFLICT (variant_id) DO UPDATE
           SET inventory_item_id = excluded.inventory_item_id, tracked = excluded.tracked, price = excluded.price, synced_at = excluded.synced_at`,
        [variants.map((v) => v.variantId), variants.map((v) => v.inventoryItemId), variants.map((v) => v.tracked), variants.map((v) => v.price), syncedAt],
      );
      await client.query('DELETE FROM lm_variants WHERE synced_at < $1', [syncedAt]);
      await client.query('DELETE FROM lm_stock_levels');
      await client.query(
        `INSERT INTO lm_stock_levels (variant_id, location_id, available)
         SELECT * FROM unnest($1::bigint[], $2::bigint[], $3::integer[])`,
        [levels.map((l) => l.variantId), levels.map((l) => l.locationId), levels.map((l) => l.available)],
      );
      await client.query('DELETE FROM lm_price_lists');
      await client.query(
        `INSERT INTO lm_price_lists (price_list_id, currency, adjustment_type, adjustment_value)
         SELECT * FROM unnest($1::bigint[], $2::text[], $3::text[], $4::float8[])`,
        [priceLists.map((p) => p.priceListId), priceLists.map((p) => p.currency), priceLists.map((p) => p.adjustmentType), priceLists.map((p) => p.adjustmentValue)],
      );
      await client.query(
        `INSERT INTO lm_fixed_prices (price_list_id, variant_id, price, breaks)
         SELECT l, v, p, b::jsonb FROM unnest($1::bigint[], $2::bigint[], $3::float8[], $4::text[]) AS x(l, v, p, b)`,
        [fixedPrices.map((f) => f.priceListId), fixedPrices.map((f) => f.variantId), fixedPrices.map((f) => f.price), fixedPrices.map((f) => JSON.stringify(f.breaks))],
      );
      await client.query('DELETE FROM lm_company_locations');
      await client.query(
        `INSERT INTO lm_company_locations (company_location_id, currency, price_list_id)
         SELECT * FROM unnest($1::bigint[], $2::text[], $3::bigint[])`,
        [companyLocations.map((c) => c.companyLocationId), companyLocations.map((c) => c.currency), companyLocations.map((c) => c.priceListId)],
      );
    },
    false,
  );
}
