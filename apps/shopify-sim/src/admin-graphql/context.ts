import type { IdempotencyCache } from '../inventory/inventory-mutations';
import type { BulkOperationRecord } from '../store/records';
import type { ShopState } from '../store/shop';
import type { ShopEvents } from '../webhooks/shop-events';

export interface BulkOperationsPort {
  run(shop: ShopState, query: string, context: { origin: string; version: string; groupObjects: boolean }): {
    operation: BulkOperationRecord | null;
    userErrors: Array<{ code: string; field: string[] | null; message: string }>;
  };
  cancel(shop: ShopState, id: number): { operation: BulkOperationRecord | null; userErrors: Array<{ field: string[] | null; message: string }> };
}

/** What every resolver can reach: the caller's shop and API version, and the services that act. */
export interface GraphqlContext {
  shop: ShopState;
  version: string;
  /** Origin the caller reached us at, for URLs we hand back (bulk results). */
  origin: string;
  /** Set while a bulk operation runs the query: nested connections are read in full. */
  bulk: boolean;
  events: ShopEvents;
  bulkOperations: BulkOperationsPort;
  idempotency: IdempotencyCache;
  planName: string;
}
