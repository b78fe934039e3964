import type { Sql, Statement } from './database';

/**
 * Takes the stock rows' locks in item id order. Every transaction that
 * changes what counts against an item (projection, reservation, release,
 * commit, sweep) calls this before touching anything else of the item's, so
 * none can wait on another in a cycle: no deadlocks by construction.
 */
export const LOCK_STOCK: Statement = {
  name: 'inventory_lock_stock',
  text: `
    SELECT inventory_item_id FROM stock
     WHERE inventory_item_id = ANY($1::int8[])
     ORDER BY inventory_item_id
       FOR UPDATE`,
};

export async function lockStock(sql: Sql, inventoryItemIds: readonly string[]): Promise<void> {
  if (inventoryItemIds.length > 0) await sql(LOCK_STOCK, [inventoryItemIds]);
}
