import { Registry } from 'prom-client';
import { ProjectionMetrics } from './projection-metrics';

describe('ProjectionMetrics', () => {
  it('counts outcomes by topic and observes the lag of applied events only', async () => {
    const registry = new Registry();
    const metrics = new ProjectionMetrics(registry);
    metrics.applied('shopify.products.update', 1_000, 1_250);
    metrics.count('shopify.products.update', 'stale');
    metrics.count('reconcile.pricing', 'failed');
    const text = await registry.metrics();
    expect(text).toContain('understudy_events_applied_total{topic="shopify.products.update",result="applied"} 1');
    expect(text).toContain('understudy_events_applied_total{topic="shopify.products.update",result="stale"} 1');
    expect(text).toContain('understudy_events_applied_total{topic="reconcile.pricing",result="failed"} 1');
    expect(text).toContain('understudy_projection_lag_seconds_sum{topic="shopify.products.update"} 0.25');
    expect(text).toContain('understudy_projection_lag_seconds_count{topic="shopify.products.update"} 1');
    expect(text).not.toContain('understudy_projection_lag_seconds_count{topic="reconcile.pricing"}');
  });

  it('observes a source clock ahead of the commit as no lag', async () => {
    const registry = new Registry();
    new ProjectionMetrics(registry).applied('t', 2_000, 1_000);
    expect(await registry.metrics()).toContain('understudy_projection_lag_seconds_sum{topic="t"} 0');
  });

  it('shares its series between two projections in one process', async () => {
    const registry = new Registry();
    new ProjectionMetrics(registry).count('t', 'duplicate');
    new ProjectionMetrics(registry).count('t', 'duplicate');
    expect(await registry.metrics()).toContain('understudy_events_applied_total{topic="t",result="duplicate"} 2');
  });
});
