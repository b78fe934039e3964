import type { Redis } from 'ioredis';
import type { Logger } from 'pino';
import type { Registry } from 'prom-client';
import type { DataSource } from 'typeorm';
import { CHECKOUT_ROUTES, type UpstreamName } from './routes/checkout-routes';
import { ShadowRouter } from './router/shadow-router';
import { ShadowSlots } from './router/shadow-slots';
import { CartTokenMigration } from './router/token-migration';
import type { Config } from './config';
import { type GatewayMetrics, gatewayMetrics } from './gateway-metrics';
import { GuardLoop } from './guards/guard-loop';
import type { LiveRoutes } from './routes/live-routes';
import { type RouteConfig, routeConfigSchema } from './routes/route-config';
import { DiffRecorder } from './persistence/diff-recorder';
import { FleetStats } from './persistence/fleet-stats';
import { RouteControl } from './persistence/route-control';
import { RouteStore } from './persistence/route-store';
import { RouteSync } from './persistence/route-sync';
import { Breakers } from './upstream/breakers';
import { UpstreamClient } from './upstream/upstream-client';

export const GATEWAY_RUNTIME = Symbol('GATEWAY_RUNTIME');

/** The seeded configuration of every checkout route (mode `monolith`). */
export function defaultRoutes(): RouteConfig[] {
  return CHECKOUT_ROUTES.map((route) => routeConfigSchema.parse(route.defaults));
}

/** Everything the gateway runs, wired once; Nest only hands in the clients and starts/stops it. */
export interface GatewayRuntime {
  readonly config: Config;
  readonly routes: LiveRoutes;
  readonly store: RouteStore;
  readonly sync: RouteSync;
  readonly control: RouteControl;
  readonly guards: GuardLoop;
  readonly breakers: Breakers;
  readonly slots: ShadowSlots;
  readonly router: ShadowRouter;
  readonly diffs: DiffRecorder;
  readonly fleet: FleetStats;
  readonly metrics: GatewayMetrics;
  readonly upstreams: Readonly<Record<UpstreamName, UpstreamClient>>;
  start(): void;
  stop(): Promise<void>;
}

function databaseName(url: string): string {
  return decodeURIComponent(new URL(url).pathname.replace(/^\//, '')) || 'default';
}

export function createRuntime(deps: { config: Config; routes: LiveRoutes; dataSource: DataSource; redis: Redis; registry: Registry; logger: Logger }): GatewayRuntime {
  const { config, routes, dataSource, redis, registry, logger } = deps;
  const now = Date.now;
  const replica = config.GATEWAY_REPLICA_ID;
  const metrics = gatewayMetrics(registry);
  routes.listen((route) => metrics.routeApplied(route.config));

  const store = new RouteStore(dataSource);
  const redisPrefix = config.GATEWAY_REDIS_PREFIX ?? `understudy:gateway:${databaseName(config.DATABASE_URL)}`;
  const sync = new RouteSync({
    store,
    routes,
    redis,
    databaseUrl: config.DATABASE_URL,
    logger,
    metrics,
    reloadIntervalMs: config.CONFIG_RELOAD_INTERVAL_MS,
    defaults: defaultRoutes(),
    replica,
    redisPrefix,
  });
  const fleet = new FleetStats({ redis, prefix: redisPrefix, replica, routes, logger, intervalMs: config.FLEET_STATS_INTERVAL_MS, now });
  const control = new RouteControl(store, routes, sync);
  const guards = new GuardLoop({ routes, control, metrics, logger, intervalMs: config.GUARD_INTERVAL_MS, replica, now });
  const breakers = new Breakers(
    {
      errorThresholdPercentage: config.BREAKER_ERROR_PERCENT,
      volumeThreshold: config.BREAKER_VOLUME_THRESHOLD,
      resetTimeoutMs: config.BREAKER_RESET_MS,
      rollingWindowMs: config.BREAKER_WINDOW_MS,
    },
    (route, side, state) => {
      metrics.breakerChanged(route, side, state);
      logger.warn({ route, upstream: side, state }, `circuit breaker ${state}`);
    },
  );
  const slots = new ShadowSlots(config.SHADOW_MAX_CONCURRENCY);
  const diffs = new DiffRecorder((samples) => (dataSource.isInitialized ? store.insertDiffs(samples) : Promise.reject(new Error('PostgreSQL not connected'))), {
    perSecond: config.DIFF_SAMPLES_PER_SECOND,
    maxQueued: 1_000,
    now,
    onResult: (result) => metrics.diffSamples.inc({ result }),
  });
  const connections = { connections: config.UPSTREAM_CONNECTIONS };
  const upstreams: Record<UpstreamName, UpstreamClient> = {
    monolith: new UpstreamClient(config.MONOLITH_URL, connections),
    inventory: new UpstreamClient(config.INVENTORY_URL, connections),
    pricing: new UpstreamClient(config.PRICING_URL, connections),
  };
  const router = new ShadowRouter({
    routes,
    upstreams,
    breakers,
    slots,
    metrics,
    diffs,
    logger,
    replica,
    tokens: new CartTokenMigration(config.LEGACY_CART_TOKEN_SECRETS),
    primaryMaxBodyBytes: config.PRIMARY_MAX_BODY_BYTES,
    shadowMaxBodyBytes: config.SHADOW_MAX_BODY_BYTES,
  });

  let pruneTimer: NodeJS.Timeout | undefined;
  return {
    config,
    routes,
    store,
    sync,
    control,
    guards,
    breakers,
    slots,
    router,
    diffs,
    fleet,
    metrics,
    upstreams,
    start() {
      sync.start();
      guards.start();
      fleet.start();
      pruneTimer = setInterval(() => {
        if (dataSource.isInitialized) store.pruneDiffs(config.DIFF_RETENTION_HOURS).catch((error: unknown) => logger.debug({ err: error }, 'diff pruning failed'));
      }, 10 * 60_000);
      pruneTimer.unref();
    },
    async stop() {
      clearInterval(pruneTimer);
      guards.stop();
      await fleet.stop();
      await sync.stop();
      await diffs.close().catch(() => undefined);
      breakers.shutdown();
      await Promise.all(Object.values(upstreams).map((client) => client.close().catch(() => undefined)));
    },
  };
}
