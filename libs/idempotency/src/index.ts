export * from './dedup-store';
export * from './response-store';
export { type PruneOptions, pruneInBatches } from './prune';
