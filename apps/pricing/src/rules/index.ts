export * from './money';
export * from './price-rules';
export * from './quote';
