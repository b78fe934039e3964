import type { RouteConfig } from '../routes/route-config';
import type { Observation } from './observation';
import type { PortableRouteStats, PortableWindow } from './portable';
import { type RouteReport, summarizeRouteStats, type WindowSnapshot } from './summary';
import { WindowStats } from './window-stats';

export interface RouteStatsOptions {
  readonly now: () => number;
  /** Segments tracked separately; the rest are summed under OTHER_SEGMENTS. */
  readonly maxSegments?: number;
  /** Slices of the route's windows (default 60: one-second expiry on a one-minute rollback window). */
  readonly slots?: number;
  /** Slices of each segment's window; coarser by default since segments only feed reports. */
  readonly segmentSlots?: number;
}

export const OTHER_SEGMENTS = '(other)';

/** What `evaluateGuards` reads: the long promotion window and the short rollback window. */
export interface GuardStats {
  readonly since: number;
  readonly promotion: WindowSnapshot;
  readonly rollback: WindowSnapshot;
}

/**
 * One route's stats: a promotion window (guards and reports), a short
 * rollback window (guards) and per-segment promotion windows (reports),
 * bounded by `maxSegments`. Build a new one, or `reset()`, whenever the route
 * changes step.
 */
export class RouteStats {
  private readonly promotion: WindowStats;
  private readonly rollback: WindowStats;
  private readonly segments = new Map<string, WindowStats>();
  private readonly maxSegments: number;
  private readonly slots: number;
  private readonly segmentSlots: number;
  private readonly now: () => number;

  constructor(guards: RouteConfig['guards'], options: RouteStatsOptions) {
    this.now = options.now;
    this.slots = options.slots ?? 60;
    this.segmentSlots = options.segmentSlots ?? 12;
    this.maxSegments = options.maxSegments ?? 20;
    this.promotion = new WindowStats({ windowMs: guards.promotion.windowSeconds * 1000, now: this.now, slots: this.slots, countClients: true });
    this.rollback = new WindowStats({ windowMs: guards.rollback.windowSeconds * 1000, now: this.now, slots: this.slots });
  }

  record(observation: Observation, segment?: string): void {
    this.promotion.record(observation);
    this.rollback.record(observation);
    if (segment === undefined) return;
    let stats = this.segments.get(segment);
    if (!stats) {
      const key = this.segments.size < this.maxSegments ? segment : OTHER_SEGMENTS;
      stats = this.segments.get(key) ?? new WindowStats({ windowMs: this.promotion.windowMs, now: this.now, slots: this.segmentSlots });
      this.segments.set(key, stats);
    }
    stats.record(observation);
  }

  guardStats(): GuardStats {
    const promotion = this.promotion.snapshot();
    return { since: promotion.since, promotion, rollback: this.rollback.snapshot() };
  }

  report(): RouteReport {
    return summarizeRouteStats([this.export()]);
  }

  /** The report's raw figures (promotion window, overall and by segment), for other replicas to sum with theirs. */
  export(): PortableRouteStats {
    const segments: Record<string, PortableWindow> = {};
    for (const [key, stats] of this.segments) segments[key] = stats.export();
    return { overall: this.promotion.export(), segments };
  }

  reset(): void {
    this.promotion.reset();
    this.rollback.reset();
    this.segments.clear();
  }
}
