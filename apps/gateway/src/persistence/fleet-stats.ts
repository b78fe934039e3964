import { withDeadline } from '@understudy/concurrency';
import type { Redis } from 'ioredis';
import type { Logger } from 'pino';
import { z } from 'zod';
import type { LiveRoutes } from '../routes/live-routes';
import { portableRouteStatsSchema } from '../stats/portable';

/** One replica's figures for one route, as published to Redis (and checked when read back). */
export const replicaStatsSchema = z.object({
  replica: z.string(),
  publishedAt: z.number(),
  /** The route configuration version they were gathered under. */
  version: z.number().int(),
  stats: portableRouteStatsSchema,
});
export type ReplicaStats = z.infer<typeof replicaStatsSchema>;

export interface FleetStatsOptions {
  readonly redis: Redis;
  /** The deployment's Redis prefix (the same one route sync uses). */
  readonly prefix: string;
  readonly replica: string;
  readonly routes: LiveRoutes;
  readonly logger: Logger;
  /** How often this replica publishes its figures. */
  readonly intervalMs: number;
  readonly now: () => number;
}

/** Figures older than this many publish intervals belong to a replica that stopped publishing (gone, or cut off from Redis). */
const STALE_AFTER_INTERVALS = 5;
/** A report waits this long for Redis before answering with this replica's figures alone. */
const READ_TIMEOUT_MS = 500;

/**
 * The fleet's view of every route: each replica serves its share of the
 * traffic and keeps its own window stats (its guards act on them, with no
 * network on that path); every `intervalMs` it also publishes their raw
 * figures (counts and histogram buckets, which sum, unlike percentiles) to a
 * Redis hash per route, one field per replica. A report reads the hash and
 * sums every fresh entry with this replica's own figures, so the admin API
 * shows the whole fleet's match rate and latency whichever replica answers.
 * Best effort throughout: without Redis a report says so and shows this
 * replica's figures.
 */
export class FleetStats {
  private timer: NodeJS.Timeout | undefined;

  constructor(private readonly options: FleetStatsOptions) {}

  start(): void {
    this.timer = setInterval(() => void this.publish(), this.options.intervalMs);
    this.timer.unref();
  }

  /** Stops publishing and removes this replica's entries, so reports stop counting it at once. */
  async stop(): Promise<void> {
    clearInterval(this.timer);
    const { redis, routes, replica } = this.options;
    await Promise.all(routes.names().map((route) => redis.hdel(this.key(route), replica))).catch(() => undefined);
  }

  async publish(): Promise<void> {
    const { redis, routes, replica, now, intervalMs, logger } = this.options;
    try {
      const pipeline = redis.pipeline();
      for (const live of routes.all()) {
        const entry: ReplicaStats = { replica, publishedAt: now(), version: live.config.version, stats: live.stats.export() };
        const key = this.key(live.config.name);
        pipeline.hset(key, replica, JSON.stringify(entry));
        // The hash goes once every replica has stopped publishing.
        pipeline.pexpire(key, intervalMs * STALE_AFTER_INTERVALS * 2);
      }
      await pipeline.exec();
    } catch (error) {
      logger.debug({ err: error }, 'could not publish route stats to Redis');
    }
  }

  /**
   * The other replicas' fresh figures for `route`. Entries that are stale or
   * unreadable (a replica on other code) are left out and reported by name.
   * Rejects when Redis does not answer within READ_TIMEOUT_MS.
   */
  async others(route: string): Promise<{ fresh: ReplicaStats[]; leftOut: Array<{ replica: string; reason: string }> }> {
    const { redis, replica: self, now, intervalMs } = this.options;
    const key = this.key(route);
    const entries = await withTimeout(redis.hgetall(key), READ_TIMEOUT_MS, 'Redis did not answer');
    const fresh: ReplicaStats[] = [];
    const leftOut: Array<{ replica: string; reason: string }> = [];
    const stale: string[] = [];
    for (const [replica, json] of Object.entries(entries)) {
      if (replica === self) continue;
      const parsed = parseEntry(json);
      if (!parsed) leftOut.push({ replica, reason: 'unreadable figures' });
      else if (parsed.publishedAt < now() - intervalMs * STALE_AFTER_INTERVALS) stale.push(replica);
      else fresh.push(parsed);
    }
    // A replica that stopped without removing its entry (killed): its figures are no longer current.
    if (stale.length > 0) void redis.hdel(key, ...stale).catch(() => undefined);
    return { fresh, leftOut };
  }

  private key(route: string): string {
    return `${this.options.prefix}:stats:${route}`;
  }
}

function parseEntry(json: string): ReplicaStats | undefined {
  try {
    const parsed = replicaStatsSchema.safeParse(JSON.parse(json));
    return parsed.success ? parsed.data : undefined;
  } catch {
    return undefined;
  }
}

function withTimeout<T>(promise: Promise<T>, ms: number, message: string): Promise<T> {
  return withDeadline(promise, ms, () => {
    throw new Error(`${message} within ${ms} ms`);
  });
}
