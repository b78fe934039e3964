import { ReconcilerSchema1780000000100 } from './1780000000100-reconciler-schema';

/** In order. Applied by `main --migrate` (npm start, nx migrate, the Helm pre-upgrade job). */
export const migrations = [ReconcilerSchema1780000000100];
