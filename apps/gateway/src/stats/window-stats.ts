import { type ComparisonDiff, generalizePath } from '@understudy/comparison';
import { DistinctClients } from './distinct-clients';
import { Histogram } from './histogram';
import type { Observation } from './observation';
import { emptyCounts, type MismatchExample, type PortableWindow, RECORDED_OUTCOMES } from './portable';
import { summarizeWindows, type WindowSnapshot } from './summary';
import { Totals } from './totals';

/**
 * Time-windowed statistics for one route (and one segment), bounded in
 * memory whatever the traffic: a ring of `slots` time slices, each holding
 * counters, latency histograms and a capped table of mismatching paths. A
 * snapshot sums the slices still inside the window, so expiry is by whole
 * slices (window / slots, one minute for an hour window). Time comes from an
 * injected `now()` so tests are deterministic.
 */

export interface WindowStatsOptions {
  readonly windowMs: number;
  readonly now: () => number;
  /** Time slices in the ring; expiry granularity is windowMs / slots. */
  readonly slots?: number;
  /** Distinct paths counted per slice, and paths holding examples. */
  readonly maxPaths?: number;
  readonly examplesPerPath?: number;
  /** Also count distinct clients (2 × 2 KiB per slice in use): what promotion reads. */
  readonly countClients?: boolean;
}

class Slice {
  /** Which slice of time this is (floor(t / sliceMs)); -1 when empty. */
  epoch = -1;
  readonly counts = emptyCounts();
  moduleCalls = 0;
  moduleFailures = 0;
  primary: Histogram | undefined;
  shadow: Histogram | undefined;
  module: Histogram | undefined;
  readonly paths = new Map<string, number>();
  untrackedPathHits = 0;
  clients: DistinctClients | undefined;
  unmatchedClients: DistinctClients | undefined;

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
    this.clients?.clear();
    this.unmatchedClients?.clear();
  }
}

/** One window: a ring of time slices, summed on demand. */
export class WindowStats {
  readonly windowMs: number;
  private readonly now: () => number;
  private readonly sliceMs: number;
  private readonly slices: Slice[];
  private readonly maxPaths: number;
  private readonly examplesPerPath: number;
  private readonly countClients: boolean;
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
    this.countClients = options.countClients ?? false;
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
    if (this.countClients && observation.client !== undefined && observation.outcome !== undefined && observation.outcome !== 'skipped') {
      (slice.clients ??= new DistinctClients()).add(observation.client);
      if (observation.outcome !== 'match') (slice.unmatchedClients ??= new DistinctClients()).add(observation.client);
    }
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
      if (slice.clients) totals.clients.merge(slice.clients);
      if (slice.unmatchedClients) totals.unmatchedClients.merge(slice.unmatchedClients);
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
      ...(this.countClients ? { clients: { compared: totals.clients.toPortable(), unmatched: totals.unmatchedClients.toPortable() } } : {}),
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

function validLatency(ms: number | undefined): ms is number {
  return ms !== undefined && Number.isFinite(ms) && ms >= 0;
}
