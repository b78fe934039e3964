import { InventorySchema1767225600000 } from './1767225600000-inventory-schema';

/** Inventory's migrations, oldest first. */
export const migrations = [InventorySchema1767225600000];
