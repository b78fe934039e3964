import { counter, createMetricsRegistry, gauge } from './metrics';

describe('metrics helpers', () => {
  it('share one series per name and label every series with the service', async () => {
    const registry = createMetricsRegistry('metrics-spec');
    counter(registry, 'understudy_spec_total', 'help', ['kind']).inc({ kind: 'a' });
    counter(registry, 'understudy_spec_total', 'help', ['kind']).inc({ kind: 'a' });
    expect(await registry.metrics()).toContain('understudy_spec_total{kind="a",service="metrics-spec"} 2');
  });

  it('read a collected gauge at scrape time', async () => {
    const registry = createMetricsRegistry('metrics-spec');
    let pending = 3;
    gauge(registry, 'understudy_spec_pending', 'help', ['queue'], (g) => g.set({ queue: 'q' }, pending));
    expect(await registry.metrics()).toContain('understudy_spec_pending{queue="q",service="metrics-spec"} 3');
    pending = 7;
    expect(await registry.metrics()).toContain('understudy_spec_pending{queue="q",service="metrics-spec"} 7');
  });
});
