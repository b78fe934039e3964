import { counter, gauge } from '@understudy/observability';
import type { Registry } from 'prom-client';

/** The reconciler's metrics (the Shopify client adds its cost and throttling counters to the same registry). */
export function reconcileMetrics(registry: Registry) {
  return {
    drift: counter(registry, 'understudy_reconcile_drift_total', 'Rows where the module differed from Shopify, by domain and kind (missing|stale|extra|mismatch).', ['domain', 'kind']),
    published: counter(registry, 'understudy_reconcile_published_total', 'Corrections published, by registry topic (reconcile/<resource>; reconcile/<resource>_delete for deletions).', ['topic']),
    runs: counter(registry, 'understudy_reconcile_runs_total', 'Finished runs, by mode and state.', ['mode', 'state']),
    restored: counter(registry, 'understudy_reconcile_subscriptions_restored_total', 'Webhook subscriptions found missing and re-created.', ['topic']),
    deliveryRatio: gauge(registry, 'understudy_delivery_ratio', 'Share of the changes Shopify made that reached the module by webhook, over the delivery window.', ['shop']),
  };
}

export type ReconcileMetrics = ReturnType<typeof reconcileMetrics>;
