import { PricingSchema1781000000000 } from './1781000000000-pricing-schema';
import { SnapshotMarks1781100000000 } from './1781100000000-snapshot-marks';

/** Pricing's migrations, oldest first. */
export const migrations = [PricingSchema1781000000000, SnapshotMarks1781100000000];
