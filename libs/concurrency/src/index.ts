export * from './natural-batcher';
export * from './backoff';
export * from './deadline';
export * from './outage';
export * from './periodic-task';
