export const INGEST_METRICS = Symbol('INGEST_METRICS');
export const DEDUP_STORE = Symbol('DEDUP_STORE');
export const DELIVERY_POLICY = Symbol('DELIVERY_POLICY');
export const DEDUP_PRUNE_POLICY = Symbol('DEDUP_PRUNE_POLICY');
