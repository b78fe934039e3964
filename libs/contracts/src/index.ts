export * from './errors';
export * from './headers';
export * from './ids';
export * from './inventory';
export * from './legacy-cart-token';
export * from './pricing';
export * from './inventory-export';
export * from './pricing-export';
