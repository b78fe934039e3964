export * from './dedup-store';
