import { WebhookDedupAndOutbox1763800000000 } from './1763800000000-webhook-dedup-and-outbox';

/** In order. Applied by `main --migrate` (npm start, nx migrate, the Helm pre-upgrade job). */
export const migrations = [WebhookDedupAndOutbox1763800000000];
