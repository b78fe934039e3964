export * from './dedup-store';
export * from './response-store';
