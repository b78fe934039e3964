import type { Redis } from 'ioredis';
import { Client } from 'pg';
import type { Logger } from 'pino';
import { z } from 'zod';
import type { GatewayMetrics } from '../gateway-metrics';
import type { LiveRoutes } from '../routes/live-routes';
import { type RouteConfig, routeConfigSchema } from '../routes/route-config';
import { ROUTES_CHANNEL, type RouteStore } from './route-store';

/**
 * Redis keys under the deployment's prefix: a hash with the latest
 * configuration of every route (for a replica starting while PostgreSQL is
 * down) and the change channel.
 */
export function redisKeys(prefix: string): { snapshot: string; channel: string } {
  return { snapshot: `${prefix}:routes`, channel: `${prefix}:routes:changes` };
}

// Writes a route into the snapshot only if it is newer than what is there: two writers cannot go backwards.
const SET_IF_NEWER = `
local current = redis.call('HGET', KEYS[1], ARGV[1])
if current then
  local ok, decoded = pcall(cjson.decode, current)
  if ok and tonumber(decoded['version']) >= tonumber(ARGV[2]) then return 0 end
end
redis.call('HSET', KEYS[1], ARGV[1], ARGV[3])
return 1`;

export interface RouteSyncOptions {
  readonly store: RouteStore;
  readonly routes: LiveRoutes;
  readonly redis: Redis;
  readonly databaseUrl: string;
  readonly logger: Logger;
  readonly metrics: GatewayMetrics;
  readonly reloadIntervalMs: number;
  /** Seeded when a route is not stored yet. */
  readonly defaults: readonly RouteConfig[];
  readonly replica: string;
  /** Namespace of this deployment's Redis keys (replicas of one gateway share it). */
  readonly redisPrefix: string;
}

/**
 * Keeps this replica's route table in step with PostgreSQL, three ways:
 * LISTEN/NOTIFY (a change reaches every replica within milliseconds), Redis
 * pub/sub (for a replica whose LISTEN connection is down), and a full reload
 * every few seconds as the safety net for anything missed while disconnected.
 * NOTIFY and Redis messages are only hints — "route X is at version N" — to
 * read X from PostgreSQL: a configuration is never taken from a message, so
 * whoever can publish on the channel cannot switch a route (or, with a huge
 * version, make every later real change look stale). Versions only move
 * forward, so duplicates and late hints are harmless. When both stores are
 * down the replica keeps serving what it has.
 */
export class RouteSync {
  private listener: Client | undefined;
  private subscriber: Redis | undefined;
  private reloadTimer: NodeJS.Timeout | undefined;
  private listenRetry: NodeJS.Timeout | undefined;
  private stopped = false;
  /** Routes being read because of a hint, and those hinted again meanwhile. */
  private readonly reading = new Set<string>();
  private readonly readAgain = new Set<string>();
  private readonly keys: { snapshot: string; channel: string };

  constructor(private readonly options: RouteSyncOptions) {
    this.keys = redisKeys(options.redisPrefix);
  }

  start(): void {
    void this.firstLoad();
    this.reloadTimer = setInterval(() => void this.reloadAll(), this.options.reloadIntervalMs);
    this.reloadTimer.unref();
    void this.listen();
    this.subscribe();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    clearInterval(this.reloadTimer);
    clearTimeout(this.listenRetry);
    await this.listener?.end().catch(() => undefined);
    this.subscriber?.disconnect();
  }

  /** Until a configuration is loaded, retries every 250 ms instead of waiting for the reload interval. */
  private async firstLoad(): Promise<void> {
    while (!this.stopped && this.options.routes.loaded === undefined) {
      if (await this.reloadAll()) return;
      await new Promise((resolve) => setTimeout(resolve, 250).unref());
    }
  }

  /** After a change was stored: hint every replica through Redis and refresh the snapshot. Best effort. */
  async publish(config: RouteConfig): Promise<void> {
    const json = JSON.stringify(config);
    try {
      await this.options.redis.eval(SET_IF_NEWER, 1, this.keys.snapshot, config.name, String(config.version), json);
      await this.options.redis.publish(this.keys.channel, JSON.stringify({ name: config.name, version: config.version }));
    } catch (error) {
      this.options.logger.debug({ err: error, route: config.name }, 'could not publish a route change to Redis');
    }
  }

  /** Reads every route from PostgreSQL (seeding missing ones); falls back to the Redis snapshot until a first load succeeded. */
  async reloadAll(): Promise<boolean> {
    const { store, routes, logger } = this.options;
    try {
      const seeded = await store.seed(this.options.defaults, `gateway:${this.options.replica}`);
      const stored = await store.loadAll((name, error) => logger.error({ err: error, route: name }, 'stored route configuration is invalid; keeping the current one'));
      const firstLoad = routes.loaded === undefined;
      for (const config of stored) this.apply(config, 'postgres');
      routes.markLoaded('postgres');
      if (firstLoad || seeded.length > 0) for (const config of stored) await this.publish(config);
      return true;
    } catch (error) {
      logger.debug({ err: error }, 'route reload from PostgreSQL failed; keeping the current configuration');
      if (routes.loaded === undefined) return this.loadSnapshot();
      return false;
    }
  }

  private async loadSnapshot(): Promise<boolean> {
    try {
      const snapshot = await this.options.redis.hgetall(this.keys.snapshot);
      const configs = Object.values(snapshot)
        .map((json) => routeConfigSchema.safeParse(JSON.parse(json)))
        .filter((parsed) => parsed.success)
        .map((parsed) => parsed.data);
      if (configs.length === 0) return false;
      for (const config of configs) this.apply(config, 'redis');
      this.options.routes.markLoaded('redis');
      this.options.logger.warn({ routes: configs.length }, 'PostgreSQL unreachable: serving the route configuration from the Redis snapshot');
      return true;
    } catch (error) {
      this.options.logger.debug({ err: error }, 'no route snapshot in Redis either');
      return false;
    }
  }

  private apply(config: RouteConfig, source: 'postgres' | 'redis'): void {
    const before = this.options.routes.get(config.name)?.config;
    if (this.options.routes.apply(config, source) !== 'applied') return;
    this.options.metrics.configUpdates.inc({ source });
    if (before && before.version !== config.version) {
      this.options.logger.info({ route: config.name, version: config.version, mode: config.mode, percent: config.shadowPercent, source }, 'route configuration updated');
    }
  }

  /**
   * A NOTIFY payload or a Redis message, `{"name", "version"}`: if this
   * replica has an older version of that route, read it from PostgreSQL. The
   * message's own content is never applied. Reads are coalesced per route,
   * so a flood of hints costs at most one read in flight plus one after it.
   */
  private onHint(message: string | undefined): void {
    const hint = parseHint(message);
    if (!hint) return;
    const current = this.options.routes.get(hint.name);
    if (!current || (current.source !== 'default' && current.config.version >= hint.version)) return;
    if (this.reading.has(hint.name)) {
      this.readAgain.add(hint.name);
      return;
    }
    this.reading.add(hint.name);
    void this.readHinted(hint.name);
  }

  private async readHinted(name: string): Promise<void> {
    try {
      do {
        this.readAgain.delete(name);
        try {
          const config = await this.options.store.load(name);
          if (config) this.apply(config, 'postgres');
        } catch (error) {
          this.options.logger.debug({ err: error, route: name }, 'could not read a hinted route change; the next reload will bring it');
          return;
        }
      } while (this.readAgain.has(name) && !this.stopped);
    } finally {
      this.reading.delete(name);
      this.readAgain.delete(name);
    }
  }

  private async listen(): Promise<void> {
    if (this.stopped) return;
    const client = new Client({ connectionString: this.options.databaseUrl, application_name: 'gateway-listen', connectionTimeoutMillis: 3_000, keepAlive: true });
    let retried = false;
    const retry = () => {
      if (retried || this.stopped) return;
      retried = true;
      if (this.listener === client) this.listener = undefined;
      client.end().catch(() => undefined);
      this.listenRetry = setTimeout(() => void this.listen(), 1_000);
      this.listenRetry.unref();
    };
    client.on('notification', (message) => this.onHint(message.payload));
    client.on('error', (error) => {
      this.options.logger.debug({ err: error }, 'route LISTEN connection lost; reconnecting');
      retry();
    });
    client.on('end', retry);
    try {
      await client.connect();
      await client.query(`LISTEN ${ROUTES_CHANNEL}`);
      this.listener = client;
      // Anything changed while we were not listening.
      void this.reloadAll();
    } catch (error) {
      this.options.logger.debug({ err: error }, 'cannot LISTEN for route changes yet; retrying');
      retry();
    }
  }

  private subscribe(): void {
    const subscriber = this.options.redis.duplicate({ enableOfflineQueue: true, maxRetriesPerRequest: null, lazyConnect: false });
    subscriber.on('error', (error) => this.options.logger.debug({ err: error }, 'route subscriber: redis error'));
    subscriber.on('message', (_channel: string, message: string) => this.onHint(message));
    subscriber.subscribe(this.keys.channel).catch((error: unknown) => this.options.logger.debug({ err: error }, 'route subscriber: subscribe failed'));
    this.subscriber = subscriber;
  }
}

const hintSchema = z.object({ name: z.string().min(1).max(100), version: z.number().int().min(0) });

function parseHint(message: string | undefined): z.infer<typeof hintSchema> | undefined {
  try {
    const parsed = hintSchema.safeParse(JSON.parse(message ?? ''));
    return parsed.success ? parsed.data : undefined;
  } catch {
    return undefined; // not ours
  }
}
