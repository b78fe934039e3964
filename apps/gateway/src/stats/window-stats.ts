import { type ComparisonDiff, type ComparisonOutcome, type ComparisonResult, generalizePath, sideFailed } from '@understudy/comparison';
import type { RoutingDecision } from '../routes/bucketing';
import type { RouteConfig } from '../routes/route-config';

/**
 * Time-windowed statistics for one route (and one segment), bounded in
 * memory whatever the traffic: a ring of `slots` time slices, each holding
 * counters, two fixed-bucket latency histograms and a capped table of
 * mismatching paths. A snapshot sums the slices still inside the window, so
 * expiry is by whole slices (window / slots, one minute for an hour window).
 * Time comes from an injected `now()` so tests are deterministic.
 */

export type RecordedOutcome = ComparisonOutcome | 'skipped';
export const RECORDED_OUTCOMES: readonly RecordedOutcome[] = ['match', 'mismatch', 'error', 'timeout', 'skipped'];

export interface Observation {
  /** The comparison's outcome; `skipped` when a due shadow call was not made (e.g. capacity); absent when none was due. */
  readonly outcome?: RecordedOutcome;
  /** Which side the module was on and whether its call failed; absent when the module was not called. */
  readonly module?: { readonly side: 'primary' | 'shadow'; readonly failed: boolean };
  readonly primaryMs?: number;
  readonly shadowMs?: number;
  readonly diffs?: readonly ComparisonDiff[];
}

export interface ServedRequest {
  /** The comparison, when the other upstream was called in the shadow. */
  readonly comparison?: ComparisonResult;
  /** Whether the primary call failed; only read when there is no comparison (e.g. module-only). */
  readonly primaryFailed?: boolean;
  readonly primaryMs?: number;
  readonly shadowMs?: number;
}

/**
 * The observation for one request: which side the module was on follows from
 * the decision, so its failures are charged to it and the monolith's are not.
 */
export function observationFrom(decision: Pick<RoutingDecision, 'primary' | 'shadow'>, served: ServedRequest): Observation {
  const { comparison, primaryFailed, primaryMs, shadowMs } = served;
  const moduleSide = decision.primary === 'module' ? 'primary' : decision.shadow ? 'shadow' : undefined;
  let module: Observation['module'];
  if (moduleSide && comparison) module = { side: moduleSide, failed: sideFailed(comparison, moduleSide) };
  else if (moduleSide === 'primary' && primaryFailed !== undefined) module = { side: moduleSide, failed: primaryFailed };
  return {
    ...(comparison ? { outcome: comparison.outcome, diffs: comparison.diffs } : {}),
    ...(module ? { module } : {}),
    ...(primaryMs === undefined ? {} : { primaryMs }),
    ...(shadowMs === undefined ? {} : { shadowMs }),
  };
}

export interface LatencySummary {
  readonly count: number;
  /** Milliseconds; estimates from log-spaced buckets (±7%), never above the largest value seen. Undefined without samples. */
  readonly p50: number | undefined;
  readonly p95: number | undefined;
  readonly p99: number | undefined;
  readonly max: number | undefined;
}

export interface MismatchExample {
  readonly at: number;
  readonly path: string;
  readonly kind: ComparisonDiff['kind'];
  readonly primary?: string;
  readonly shadow?: string;
}

export interface MismatchPath {
  /** Generalised: `$.lines[*].available`. */
  readonly path: string;
  /** Mismatching requests in the window that differed at this path. */
  readonly count: number;
  /** The latest few, newest first. */
  readonly examples: readonly MismatchExample[];
}

export interface WindowSnapshot {
  /** Start of the oldest slice included, and `now`. */
  readonly from: number;
  readonly to: number;
  /** When these stats started (creation or last reset): the current ramp step's first moment. */
  readonly since: number;
  readonly counts: Readonly<Record<RecordedOutcome, number>>;
  /** Compared requests: match + mismatch + error + timeout. */
  readonly samples: number;
  readonly matchRate: number;
  readonly mismatchRate: number;
  readonly moduleCalls: number;
  readonly moduleFailures: number;
  /** Module failures per module call: what the module did wrong, not the monolith. */
  readonly errorRate: number;
  /** By side, and the module's own (primary or shadow, request by request): what the p99 guard reads. */
  readonly latency: { readonly primary: LatencySummary; readonly shadow: LatencySummary; readonly module: LatencySummary };
  /** Most frequent first. */
  readonly mismatchPaths: readonly MismatchPath[];
  /** Path hits not tabulated because a slice's path table was full. */
  readonly untrackedPathHits: number;
}

/** A histogram as plain data: `[bucket, count]` for the non-empty buckets, and the largest value seen. */
export interface PortableHistogram {
  readonly buckets: ReadonlyArray<readonly [number, number]>;
  readonly max: number;
}

/**
 * A window's raw figures as plain JSON: what `snapshot()` summarises, and what
 * replicas publish so that figures from several of them can be summed
 * (`summarizeWindows`) — percentiles cannot be averaged, bucket counts can.
 */
export interface PortableWindow {
  readonly from: number;
  readonly to: number;
  readonly since: number;
  readonly counts: Readonly<Record<RecordedOutcome, number>>;
  readonly moduleCalls: number;
  readonly moduleFailures: number;
  readonly untrackedPathHits: number;
  readonly latency: { readonly primary: PortableHistogram; readonly shadow: PortableHistogram; readonly module: PortableHistogram };
  /** Mismatching requests by generalised path. */
  readonly paths: Readonly<Record<string, number>>;
  /** The latest few examples per path, oldest first. */
  readonly examples: Readonly<Record<string, readonly MismatchExample[]>>;
}

export interface WindowStatsOptions {
  readonly windowMs: number;
  readonly now: () => number;
  /** Time slices in the ring; expiry granularity is windowMs / slots. */
  readonly slots?: number;
  /** Distinct paths counted per slice, and paths holding examples. */
  readonly maxPaths?: number;
  readonly examplesPerPath?: number;
}

// Log-spaced latency buckets: 5 per doubling from 0.1 ms; the last one takes everything above ~105 s.
const BUCKETS_PER_DOUBLING = 5;
const MIN_MS = 0.1;
const HISTOGRAM_SIZE = 102;

function latencyBucket(ms: number): number {
  if (ms <= MIN_MS) return 0;
  return Math.min(HISTOGRAM_SIZE - 1, Math.ceil(Math.log2(ms / MIN_MS) * BUCKETS_PER_DOUBLING));
}

function bucketUpperBound(bucket: number): number {
  return MIN_MS * 2 ** (bucket / BUCKETS_PER_DOUBLING);
}

class Histogram {
  readonly counts = new Uint32Array(HISTOGRAM_SIZE);
  total = 0;
  max = 0;

  add(ms: number): void {
    this.counts[latencyBucket(ms)]! += 1;
    this.total += 1;
    if (ms > this.max) this.max = ms;
  }

  merge(other: Histogram): void {
    for (let i = 0; i < HISTOGRAM_SIZE; i += 1) this.counts[i]! += other.counts[i]!;
    this.total += other.total;
    if (other.max > this.max) this.max = other.max;
  }

  clear(): void {
    this.counts.fill(0);
    this.total = 0;
    this.max = 0;
  }

  toPortable(): PortableHistogram {
    const buckets: Array<[number, number]> = [];
    for (let i = 0; i < HISTOGRAM_SIZE; i += 1) if (this.counts[i]! > 0) buckets.push([i, this.counts[i]!]);
    return { buckets, max: this.max };
  }

  /** Adds a portable histogram's counts; bucket indexes outside this layout are ignored (a replica on other code). */
  mergePortable(other: PortableHistogram): void {
    for (const [bucket, count] of other.buckets) {
      if (!Number.isInteger(bucket) || bucket < 0 || bucket >= HISTOGRAM_SIZE || !(count > 0)) continue;
      this.counts[bucket]! += count;
      this.total += count;
    }
    if (other.max > this.max) this.max = other.max;
  }

  summary(): LatencySummary {
    if (this.total === 0) return { count: 0, p50: undefined, p95: undefined, p99: undefined, max: undefined };
    return { count: this.total, p50: this.quantile(0.5), p95: this.quantile(0.95), p99: this.quantile(0.99), max: this.max };
  }

  private quantile(q: number): number {
    const rank = Math.max(1, Math.ceil(q * this.total));
    let seen = 0;
    for (let i = 0; i < HISTOGRAM_SIZE; i += 1) {
      seen += this.counts[i]!;
      // The last bucket is open-ended: the max seen is the only honest upper bound.
      if (seen >= rank) return i === HISTOGRAM_SIZE - 1 ? this.max : Math.min(bucketUpperBound(i), this.max);
    }
    return this.max;
  }
}

type Counters = Pick<PortableWindow, 'counts' | 'moduleCalls' | 'moduleFailures' | 'untrackedPathHits'>;

/** Running sums of counters, latency histograms and path counts: of a window's slices, or of several windows. */
class Totals {
  readonly counts: Record<RecordedOutcome, number> = { match: 0, mismatch: 0, error: 0, timeout: 0, skipped: 0 };
  moduleCalls = 0;
  moduleFailures = 0;
  untrackedPathHits = 0;
  readonly primary = new Histogram();
  readonly shadow = new Histogram();
  readonly module = new Histogram();
  readonly paths = new Map<string, number>();

  add(counters: Counters, paths: Iterable<readonly [string, number]>): void {
    for (const outcome of RECORDED_OUTCOMES) this.counts[outcome] += counters.counts[outcome] ?? 0;
    this.moduleCalls += counters.moduleCalls;
    this.moduleFailures += counters.moduleFailures;
    this.untrackedPathHits += counters.untrackedPathHits;
    for (const [path, n] of paths) this.paths.set(path, (this.paths.get(path) ?? 0) + n);
  }
}

class Slice {
  /** Which slice of time this is (floor(t / sliceMs)); -1 when empty. */
  epoch = -1;
  readonly counts: Record<RecordedOutcome, number> = { match: 0, mismatch: 0, error: 0, timeout: 0, skipped: 0 };
  moduleCalls = 0;
  moduleFailures = 0;
  primary: Histogram | undefined;
  shadow: Histogram | undefined;
  module: Histogram | undefined;
  readonly paths = new Map<string, number>();
  untrackedPathHits = 0;

  reset(epoch: number): void {
    this.epoch = epoch;
    for (const outcome of RECORDED_OUTCOMES) this.counts[outcome] = 0;
    this.moduleCalls = 0;
    this.moduleFailures = 0;
    this.primary?.clear();
    this.shadow?.clear();
    this.module?.clear();
    this.paths.clear();
    this.untrackedPathHits = 0;
  }
}

export class WindowStats {
  readonly windowMs: number;
  private readonly now: () => number;
  private readonly sliceMs: number;
  private readonly slices: Slice[];
  private readonly maxPaths: number;
  private readonly examplesPerPath: number;
  // Examples live outside the slices (a few per path, not per path per slice) and expire by their own time.
  private readonly examples = new Map<string, MismatchExample[]>();
  private startedAt: number;

  constructor(options: WindowStatsOptions) {
    const slots = options.slots ?? 60;
    if (!(options.windowMs > 0) || !(slots >= 1)) throw new RangeError('windowMs and slots must be positive');
    this.windowMs = options.windowMs;
    this.now = options.now;
    this.sliceMs = Math.ceil(options.windowMs / slots);
    this.slices = Array.from({ length: slots }, () => new Slice());
    this.maxPaths = options.maxPaths ?? 100;
    this.examplesPerPath = options.examplesPerPath ?? 3;
    this.startedAt = this.now();
  }

  record(observation: Observation): void {
    const at = this.now();
    const slice = this.sliceAt(at);
    if (!slice) return; // older than the window (a clock step back): nothing to add it to
    if (observation.outcome) slice.counts[observation.outcome] += 1;
    if (validLatency(observation.primaryMs)) (slice.primary ??= new Histogram()).add(observation.primaryMs);
    if (validLatency(observation.shadowMs)) (slice.shadow ??= new Histogram()).add(observation.shadowMs);
    if (observation.module) {
      slice.moduleCalls += 1;
      if (observation.module.failed) slice.moduleFailures += 1;
      const moduleMs = observation.module.side === 'primary' ? observation.primaryMs : observation.shadowMs;
      if (validLatency(moduleMs)) (slice.module ??= new Histogram()).add(moduleMs);
    }
    if (observation.outcome === 'mismatch' && observation.diffs) this.recordPaths(slice, observation.diffs, at);
  }

  snapshot(): WindowSnapshot {
    return summarizeWindows([this.export()], this.examplesPerPath);
  }

  /** The slices still inside the window, summed, as plain data. */
  export(): PortableWindow {
    const to = this.now();
    const current = Math.floor(to / this.sliceMs);
    const oldest = current - this.slices.length + 1;
    const totals = new Totals();
    for (const slice of this.slices) {
      if (slice.epoch < oldest || slice.epoch > current) continue;
      totals.add(slice, slice.paths);
      if (slice.primary) totals.primary.merge(slice.primary);
      if (slice.shadow) totals.shadow.merge(slice.shadow);
      if (slice.module) totals.module.merge(slice.module);
    }
    const from = Math.max(oldest * this.sliceMs, this.startedAt);
    this.expireExamples(from);
    const { counts, moduleCalls, moduleFailures, untrackedPathHits } = totals;
    return {
      from,
      to,
      since: this.startedAt,
      counts,
      moduleCalls,
      moduleFailures,
      untrackedPathHits,
      latency: { primary: totals.primary.toPortable(), shadow: totals.shadow.toPortable(), module: totals.module.toPortable() },
      paths: Object.fromEntries(totals.paths),
      examples: Object.fromEntries([...this.examples].map(([path, list]) => [path, [...list]])),
    };
  }

  /** Forget everything: the route moved to another step, whose guards must judge it on its own samples. */
  reset(): void {
    for (const slice of this.slices) slice.reset(-1);
    this.examples.clear();
    this.startedAt = this.now();
  }

  private sliceAt(at: number): Slice | undefined {
    const epoch = Math.floor(at / this.sliceMs);
    const slice = this.slices[((epoch % this.slices.length) + this.slices.length) % this.slices.length]!;
    if (slice.epoch === epoch) return slice;
    if (slice.epoch > epoch) return undefined;
    slice.reset(epoch);
    return slice;
  }

  private recordPaths(slice: Slice, diffs: readonly ComparisonDiff[], at: number): void {
    // One count per request and path, however many lines differed at `$.lines[*].available`.
    const firstByPath = new Map<string, ComparisonDiff>();
    for (const diff of diffs) {
      const path = generalizePath(diff.path);
      if (!firstByPath.has(path)) firstByPath.set(path, diff);
    }
    for (const [path, diff] of firstByPath) {
      const count = slice.paths.get(path);
      if (count !== undefined) slice.paths.set(path, count + 1);
      else if (slice.paths.size < this.maxPaths) slice.paths.set(path, 1);
      else slice.untrackedPathHits += 1;
      this.addExample(path, { at, ...diff });
    }
  }

  private addExample(path: string, example: MismatchExample): void {
    let list = this.examples.get(path);
    if (!list) {
      if (this.examples.size >= this.maxPaths) this.evictStalestExamples();
      list = [];
      this.examples.set(path, list);
    }
    list.push(example);
    if (list.length > this.examplesPerPath) list.shift();
  }

  private evictStalestExamples(): void {
    let stalest: string | undefined;
    let stalestAt = Number.POSITIVE_INFINITY;
    for (const [path, list] of this.examples) {
      const newest = list[list.length - 1]?.at ?? Number.NEGATIVE_INFINITY;
      if (newest < stalestAt) {
        stalest = path;
        stalestAt = newest;
      }
    }
    if (stalest !== undefined) this.examples.delete(stalest);
  }

  private expireExamples(from: number): void {
    for (const [path, list] of this.examples) {
      const kept = list.filter((e) => e.at >= from);
      if (kept.length === 0) this.examples.delete(path);
      else if (kept.length !== list.length) this.examples.set(path, kept);
    }
  }
}

/**
 * One snapshot of several windows' figures (one replica's, or every replica's
 * of a route): counts and histogram buckets are summed, so the rates and
 * percentiles are those of all their requests together; the window spans
 * from the earliest `from` to the latest `to`.
 */
export function summarizeWindows(windows: readonly PortableWindow[], examplesPerPath = 3): WindowSnapshot {
  const totals = new Totals();
  const examples = new Map<string, MismatchExample[]>();
  for (const window of windows) {
    totals.add(window, Object.entries(window.paths));
    totals.primary.mergePortable(window.latency.primary);
    totals.shadow.mergePortable(window.latency.shadow);
    totals.module.mergePortable(window.latency.module);
    for (const [path, list] of Object.entries(window.examples)) examples.set(path, [...(examples.get(path) ?? []), ...list]);
  }
  const { counts, moduleCalls, moduleFailures, untrackedPathHits, paths } = totals;
  const samples = counts.match + counts.mismatch + counts.error + counts.timeout;
  const latest = (path: string) =>
    // Newest first; among equal times, the one recorded last (the lists are oldest first).
    [...(examples.get(path) ?? [])].reverse().sort((a, b) => b.at - a.at).slice(0, examplesPerPath);
  return {
    from: windows.length ? Math.min(...windows.map((w) => w.from)) : 0,
    to: windows.length ? Math.max(...windows.map((w) => w.to)) : 0,
    since: windows.length ? Math.min(...windows.map((w) => w.since)) : 0,
    counts,
    samples,
    matchRate: samples === 0 ? 0 : counts.match / samples,
    mismatchRate: samples === 0 ? 0 : counts.mismatch / samples,
    moduleCalls,
    moduleFailures,
    errorRate: moduleCalls === 0 ? 0 : moduleFailures / moduleCalls,
    latency: { primary: totals.primary.summary(), shadow: totals.shadow.summary(), module: totals.module.summary() },
    mismatchPaths: [...paths.entries()]
      .sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1))
      .map(([path, count]) => ({ path, count, examples: latest(path) })),
    untrackedPathHits,
  };
}

function validLatency(ms: number | undefined): ms is number {
  return ms !== undefined && Number.isFinite(ms) && ms >= 0;
}

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

export interface PortableRouteStats {
  readonly overall: PortableWindow;
  readonly segments: Readonly<Record<string, PortableWindow>>;
}

export interface RouteReport {
  readonly overall: WindowSnapshot;
  readonly segments: Record<string, WindowSnapshot>;
}

/** One route's report from one or several replicas' figures: overall, and each segment any of them saw. */
export function summarizeRouteStats(parts: readonly PortableRouteStats[]): RouteReport {
  const keys = [...new Set(parts.flatMap((part) => Object.keys(part.segments)))];
  const segments: Record<string, WindowSnapshot> = {};
  for (const key of keys) segments[key] = summarizeWindows(parts.flatMap((part) => (part.segments[key] ? [part.segments[key]] : [])));
  return { overall: summarizeWindows(parts.map((part) => part.overall)), segments };
}

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
    this.promotion = new WindowStats({ windowMs: guards.promotion.windowSeconds * 1000, now: this.now, slots: this.slots });
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
