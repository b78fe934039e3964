import { counter, gauge, histogram, type Registry } from '@understudy/observability';
import { ROUTE_MODES, type RouteConfig } from './routes/route-config';
import type { BreakerSide, BreakerState } from './upstream/breakers';
import type { CallRole } from './upstream/upstreams';

const LATENCY_BUCKETS = [0.0005, 0.001, 0.002, 0.003, 0.005, 0.0075, 0.01, 0.015, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5];

/** The gateway's metrics: the three names from docs/design.md, plus what an operator needs to read them. */
export function gatewayMetrics(registry: Registry) {
  const metrics = {
    shadowRequests: counter(registry, 'understudy_shadow_requests_total', 'Compared (or skipped) requests by route and outcome.', ['route', 'outcome']),
    latency: histogram(registry, 'understudy_shadow_latency_seconds', 'Upstream call latency by route and side (primary: the answer the client got).', ['route', 'side'], LATENCY_BUCKETS),
    routeMode: gauge(registry, 'understudy_route_mode', '1 for the mode each route is in on this replica, 0 for the others.', ['route', 'mode']),
    routeVersion: gauge(registry, 'understudy_gateway_route_version', 'Configuration version each route is served with on this replica.', ['route']),
    shadowPercent: gauge(registry, 'understudy_gateway_route_percent', 'Shadow percentage of each route on this replica.', ['route']),
    fallbacks: counter(registry, 'understudy_gateway_fallbacks_total', 'Module-primary requests answered by the monolith because the module failed.', ['route', 'reason']),
    breakerOpen: gauge(registry, 'understudy_gateway_breaker_open', 'Circuit breaker per route, upstream and role (primary: answers and fallbacks; shadow: shadow and noise calls): 1 open, 0.5 half-open, 0 closed.', ['route', 'upstream', 'role']),
    shadowInFlight: gauge(registry, 'understudy_gateway_shadow_in_flight', 'Shadow and noise-detection calls in flight.'),
    tokenMigrationFailures: counter(registry, 'understudy_gateway_token_migration_failures_total', 'Cart tokens that could not be migrated for the module (the module is not called).', ['route']),
    guardActions: counter(registry, 'understudy_gateway_guard_actions_total', 'Promotions and rollbacks decided by the guards on this replica, by result.', ['route', 'action', 'result']),
    configUpdates: counter(registry, 'understudy_gateway_config_updates_total', 'Route configurations applied on this replica, by where they came from.', ['source']),
    idempotency: counter(
      registry,
      'understudy_gateway_idempotency_total',
      'Writes through the idempotency hold by route and result (claimed, replayed, in_progress, reused, unknown, answered_late, unkeyed, invalid_key, store_unavailable).',
      ['route', 'result'],
    ),
    diffSamples: counter(registry, 'understudy_gateway_diff_samples_total', 'Mismatch examples offered for PostgreSQL, by result.', ['result']),
  };
  return {
    ...metrics,
    routeApplied(config: RouteConfig): void {
      for (const mode of ROUTE_MODES) metrics.routeMode.set({ route: config.name, mode }, mode === config.mode ? 1 : 0);
      metrics.routeVersion.set({ route: config.name }, config.version);
      metrics.shadowPercent.set({ route: config.name }, config.shadowPercent);
    },
    breakerChanged(route: string, side: BreakerSide, role: CallRole, state: BreakerState): void {
      metrics.breakerOpen.set({ route, upstream: side, role }, state === 'open' ? 1 : state === 'half_open' ? 0.5 : 0);
    },
  };
}

export type GatewayMetrics = ReturnType<typeof gatewayMetrics>;
