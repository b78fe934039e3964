import { InventorySchema1767225600000 } from './1767225600000-inventory-schema';
import { DedupOnEventId1780000000000 } from './1780000000000-dedup-on-event-id';
import { CommitLocation1780100000000 } from './1780100000000-commit-location';
import { ReserveBatch1780200000000 } from './1780200000000-reserve-batch';
import { ExpiredLinesByExpiry1780300000000 } from './1780300000000-expired-lines-by-expiry';
import { ReserveBatchSingleWrite1780400000000 } from './1780400000000-reserve-batch-single-write';
import { ReserveBatchBeforeLocks1780450000000 } from './1780450000000-reserve-batch-before-locks';

/** Inventory's migrations, oldest first. */
export const migrations = [
  InventorySchema1767225600000,
  DedupOnEventId1780000000000,
  CommitLocation1780100000000,
  ReserveBatch1780200000000,
  ExpiredLinesByExpiry1780300000000,
  ReserveBatchSingleWrite1780400000000,
  ReserveBatchBeforeLocks1780450000000,
];
