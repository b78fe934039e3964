import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';

/**
 * One Prometheus registry per process, with the default process metrics and a
 * `service` label on every series. Libraries receive the registry explicitly
 * (no global registry), so tests can build as many as they like.
 */
export function createMetricsRegistry(service: string): Registry {
  const registry = new Registry();
  registry.setDefaultLabels({ service });
  collectDefaultMetrics({ register: registry });
  return registry;
}

/**
 * The one way to declare a metric: `counter`, `gauge` and `histogram` below,
 * on the registry the code is handed (lint keeps prom-client's constructors
 * out of every other file). Each returns the metric registered under `name`,
 * creating it on first use, so two modules can share a series.
 */
function reuse<T>(registry: Registry, name: string, create: () => T): T {
  return (registry.getSingleMetric(name) as T | undefined) ?? create();
}

export function counter<L extends string>(registry: Registry, name: string, help: string, labelNames: readonly L[] = []) {
  return reuse(registry, name, () => new Counter<L>({ name, help, labelNames, registers: [registry] }));
}

/** `collect`, when given, sets the gauge's values each time the registry is scraped (for figures kept elsewhere). */
export function gauge<L extends string>(registry: Registry, name: string, help: string, labelNames: readonly L[] = [], collect?: (gauge: Gauge<L>) => void) {
  return reuse(registry, name, () => new Gauge<L>({ name, help, labelNames, registers: [registry], ...(collect && { collect: function (this: Gauge<L>) { collect(this); } }) }));
}

/**
 * Seconds. Fine below 5 ms because the latency objectives are there (an inventory check's
 * p99 ≤ 2 ms is "at least 99 % of requests in le=0.002"); coarse above, up to the timeouts.
 */
export const LATENCY_BUCKETS = [0.00025, 0.0005, 0.001, 0.002, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];

export function histogram<L extends string>(registry: Registry, name: string, help: string, labelNames: readonly L[] = [], buckets = LATENCY_BUCKETS) {
  return reuse(registry, name, () => new Histogram<L>({ name, help, labelNames, buckets, registers: [registry] }));
}

export { Registry };
