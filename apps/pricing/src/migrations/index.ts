import { PricingSchema1781000000000 } from './1781000000000-pricing-schema';

/** Pricing's migrations, oldest first. */
export const migrations = [PricingSchema1781000000000];
