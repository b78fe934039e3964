import type { Provider } from '@nestjs/common';
import { APP_CONFIG } from '@understudy/config';
import { LOGGER, METRICS } from '@understudy/observability';
import { ResponseStore } from '@understudy/idempotency';
import { DATA_SOURCE, REDIS } from '@understudy/platform';
import type { Redis } from 'ioredis';
import type { Logger } from 'pino';
import type { Registry } from 'prom-client';
import type { DataSource } from 'typeorm';
import { type Config, redisPrefix } from './config';
import { type GatewayMetrics, gatewayMetrics } from './gateway-metrics';
import { GuardLoop } from './guards/guard-loop';
import { DiffPruning } from './persistence/diff-pruning';
import { DiffRecorder } from './persistence/diff-recorder';
import { FleetStats } from './persistence/fleet-stats';
import { RouteControl } from './persistence/route-control';
import { RouteStore } from './persistence/route-store';
import { RouteSync } from './persistence/route-sync';
import { RouteReporter } from './reports/route-reporter';
import { ShadowRouter } from './router/shadow-router';
import { ShadowSlots } from './router/shadow-slots';
import { CartTokenMigration } from './router/token-migration';
import { defaultRoutes } from './routes/checkout-routes';
import { LiveRoutes } from './routes/live-routes';
import { Breakers } from './upstream/breakers';
import { IdempotencyHold } from './upstream/idempotency-hold';
import { IdempotencyPruning } from './upstream/idempotency-pruning';
import { Upstreams } from './upstream/upstreams';

/** The gateway's metrics (a plain object, so it needs a token of its own). */
export const GATEWAY_METRICS = Symbol('GATEWAY_METRICS');

/**
 * Every piece of the gateway as its own provider, built from the narrow
 * things it needs; the classes are framework-free and Nest only hands them
 * to each other. Controllers inject the one or two they use (the router;
 * route control, the store and the report builder).
 */
export function gatewayProviders(routes: LiveRoutes): Provider[] {
  return [
    { provide: LiveRoutes, useValue: routes },
    {
      provide: GATEWAY_METRICS,
      inject: [METRICS],
      useFactory: (registry: Registry) => {
        const metrics = gatewayMetrics(registry);
        routes.listen((route) => metrics.routeApplied(route.config));
        return metrics;
      },
    },
    { provide: RouteStore, inject: [DATA_SOURCE], useFactory: (dataSource: DataSource) => new RouteStore(dataSource) },
    {
      provide: RouteSync,
      inject: [APP_CONFIG, RouteStore, REDIS, LOGGER, GATEWAY_METRICS],
      useFactory: (config: Config, store: RouteStore, redis: Redis, logger: Logger, metrics: GatewayMetrics) =>
        new RouteSync({
          store,
          routes,
          redis,
          databaseUrl: config.DATABASE_URL,
          logger,
          metrics,
          reloadIntervalMs: config.CONFIG_RELOAD_INTERVAL_MS,
          defaults: defaultRoutes(),
          replica: config.GATEWAY_REPLICA_ID,
          redisPrefix: redisPrefix(config),
        }),
    },
    { provide: RouteControl, inject: [RouteStore, RouteSync], useFactory: (store: RouteStore, sync: RouteSync) => new RouteControl(store, routes, sync) },
    {
      provide: FleetStats,
      inject: [APP_CONFIG, REDIS, LOGGER],
      useFactory: (config: Config, redis: Redis, logger: Logger) =>
        new FleetStats({ redis, prefix: redisPrefix(config), replica: config.GATEWAY_REPLICA_ID, routes, logger, intervalMs: config.FLEET_STATS_INTERVAL_MS, now: Date.now }),
    },
    {
      provide: GuardLoop,
      inject: [APP_CONFIG, RouteControl, GATEWAY_METRICS, LOGGER],
      useFactory: (config: Config, control: RouteControl, metrics: GatewayMetrics, logger: Logger) =>
        new GuardLoop({ routes, control, metrics, logger, intervalMs: config.GUARD_INTERVAL_MS, replica: config.GATEWAY_REPLICA_ID, now: Date.now }),
    },
    {
      provide: Breakers,
      inject: [APP_CONFIG, GATEWAY_METRICS, LOGGER],
      useFactory: (config: Config, metrics: GatewayMetrics, logger: Logger) =>
        new Breakers(
          {
            errorThresholdPercentage: config.BREAKER_ERROR_PERCENT,
            volumeThreshold: config.BREAKER_VOLUME_THRESHOLD,
            resetTimeoutMs: config.BREAKER_RESET_MS,
            rollingWindowMs: config.BREAKER_WINDOW_MS,
          },
          (route, side, role, state) => {
            metrics.breakerChanged(route, side, role, state);
            logger.warn({ route, upstream: side, role, state }, `circuit breaker ${state}`);
          },
        ),
    },
    { provide: ShadowSlots, inject: [APP_CONFIG], useFactory: (config: Config) => new ShadowSlots(config.SHADOW_MAX_CONCURRENCY) },
    {
      provide: DiffRecorder,
      inject: [APP_CONFIG, DATA_SOURCE, RouteStore, GATEWAY_METRICS],
      useFactory: (config: Config, dataSource: DataSource, store: RouteStore, metrics: GatewayMetrics) =>
        new DiffRecorder((samples) => (dataSource.isInitialized ? store.insertDiffs(samples) : Promise.reject(new Error('PostgreSQL not connected'))), {
          perSecond: config.DIFF_SAMPLES_PER_SECOND,
          maxQueued: 1_000,
          now: Date.now,
          onResult: (result) => metrics.diffSamples.inc({ result }),
        }),
    },
    {
      provide: DiffPruning,
      inject: [APP_CONFIG, DATA_SOURCE, RouteStore, LOGGER],
      useFactory: (config: Config, dataSource: DataSource, store: RouteStore, logger: Logger) =>
        new DiffPruning(store, { retentionHours: config.DIFF_RETENTION_HOURS, connected: () => dataSource.isInitialized, logger }),
    },
    {
      provide: Upstreams,
      inject: [APP_CONFIG],
      useFactory: (config: Config) =>
        new Upstreams({ monolith: config.MONOLITH_URL, inventory: config.INVENTORY_URL, pricing: config.PRICING_URL }, { primary: config.UPSTREAM_CONNECTIONS, shadow: config.SHADOW_UPSTREAM_CONNECTIONS }),
    },
    {
      provide: ShadowRouter,
      inject: [APP_CONFIG, Upstreams, Breakers, ShadowSlots, GATEWAY_METRICS, DiffRecorder, LOGGER],
      useFactory: (config: Config, upstreams: Upstreams, breakers: Breakers, slots: ShadowSlots, metrics: GatewayMetrics, diffs: DiffRecorder, logger: Logger) =>
        new ShadowRouter({
          routes,
          upstreams,
          breakers,
          slots,
          metrics,
          diffs,
          logger,
          replica: config.GATEWAY_REPLICA_ID,
          tokens: new CartTokenMigration(config.LEGACY_CART_TOKEN_SECRETS),
          primaryMaxBodyBytes: config.PRIMARY_MAX_BODY_BYTES,
          shadowMaxBodyBytes: config.SHADOW_MAX_BODY_BYTES,
        }),
    },
    {
      provide: ResponseStore,
      inject: [APP_CONFIG, DATA_SOURCE],
      useFactory: (config: Config, dataSource: DataSource) =>
        // A claim outlives its owner's wait for the upstream by a margin before it reads as abandoned (the owner died).
        new ResponseStore({ dataSource, table: 'gateway_idempotency', abandonedAfterSeconds: Math.ceil(config.IDEMPOTENCY_RESOLVE_MS / 1000) + 30 }),
    },
    {
      provide: IdempotencyHold,
      inject: [APP_CONFIG, ResponseStore, GATEWAY_METRICS, LOGGER],
      useFactory: (config: Config, store: ResponseStore, metrics: GatewayMetrics, logger: Logger) =>
        new IdempotencyHold({
          store,
          resolveMs: config.IDEMPOTENCY_RESOLVE_MS,
          storeTimeoutMs: config.IDEMPOTENCY_STORE_TIMEOUT_MS,
          retryAfterSeconds: 1,
          onResult: (route, result) => metrics.idempotency.inc({ route, result }),
          onError: (error, what) => logger.warn({ err: error, step: what }, 'idempotency store call failed'),
        }),
    },
    {
      provide: IdempotencyPruning,
      inject: [APP_CONFIG, DATA_SOURCE, ResponseStore, LOGGER],
      useFactory: (config: Config, dataSource: DataSource, store: ResponseStore, logger: Logger) =>
        new IdempotencyPruning(store, { retentionHours: config.IDEMPOTENCY_RETENTION_HOURS, connected: () => dataSource.isInitialized, logger }),
    },
    {
      provide: RouteReporter,
      inject: [APP_CONFIG, FleetStats, Breakers, ShadowSlots],
      useFactory: (config: Config, fleet: FleetStats, breakers: Breakers, slots: ShadowSlots) =>
        new RouteReporter({ fleet, breakers, slots, replica: config.GATEWAY_REPLICA_ID, now: Date.now }),
    },
  ];
}
