import { PricingSchema1781000000000 } from './1781000000000-pricing-schema';
import { SnapshotMarks1781100000000 } from './1781100000000-snapshot-marks';
import { PricingChangeLog1781600000000 } from './1781600000000-pricing-change-log';

/** Pricing's migrations, oldest first. */
export const migrations = [PricingSchema1781000000000, SnapshotMarks1781100000000, PricingChangeLog1781600000000];
