import { type ResponseSide, decodeBody, isFailedCall } from './body';
import { type DiffSink, type PathNode, CompiledSpec, applyTransforms, diffValues } from './engine';
import { formatSegment } from './path';
import type { ComparisonSpecInput } from './spec';
import { NodeBudget } from './values';

export interface NoiseLearnerOptions {
  /** Rules applied before looking for noise (sets, transforms, paths already ignored). */
  readonly spec?: ComparisonSpecInput;
  /** Observations a path must have been present in before it can count as noise. */
  readonly minObservations?: number;
  /** Observations in which the path must have differed. */
  readonly minDifferences?: number;
  /** Share of the observations containing the path in which it differed. */
  readonly minRatio?: number;
  /** Paths tracked at most; past it the weakest candidate is evicted. */
  readonly maxPaths?: number;
  /** Generalised paths a person said are not noise: never tracked, never learned (see `exclude`). */
  readonly exclude?: readonly string[];
}

export interface NoiseLearnerStats {
  readonly observations: number;
  /** Pairs not learned from: a failed call, a body over the size cap, or a walk that ran out of budget. */
  readonly skipped: number;
  readonly trackedPaths: number;
  /** Candidate paths dropped because the table was full of stronger ones, or too deep to track. */
  readonly droppedPaths: number;
}

interface PathCounts {
  /** Observations (since tracking began) in which the path was present on either side. */
  seen: number;
  /** Of those, the ones in which it differed. */
  differed: number;
}

// Deeper paths are not learned: their names are long and they are never timestamps in practice.
const MAX_LEARNED_DEPTH = 32;

/**
 * Learns which JSON paths differ between two calls to the same upstream for
 * the same request (timestamps, request ids, random ordering): the paths a
 * shadow comparison should ignore, found without anyone listing them — the
 * idea behind Twitter's Diffy. Feed it pairs of *primary vs primary*
 * responses; merge `noisyPaths()` into the spec's `ignore`.
 *
 * Paths are generalised (`$.lines[*].reservedAt`), so one noisy field in every
 * line is one entry. A path is tracked from the first time it differs; from
 * then on the learner counts the observations it appears in and the ones it
 * differs in, and calls it noise once both counts and their ratio clear the
 * thresholds. Memory is bounded by `maxPaths`.
 */
export class NoiseLearner {
  private readonly compiled: CompiledSpec;
  private readonly minObservations: number;
  private readonly minDifferences: number;
  private readonly minRatio: number;
  private readonly maxPaths: number;
  private readonly counts = new Map<string, PathCounts>();
  private excluded: ReadonlySet<string> = new Set();
  private observations = 0;
  private skipped = 0;
  private dropped = 0;

  constructor(options: NoiseLearnerOptions = {}) {
    this.compiled = CompiledSpec.compile(options.spec ?? {});
    this.minObservations = options.minObservations ?? 20;
    this.minDifferences = options.minDifferences ?? 5;
    this.minRatio = options.minRatio ?? 0.25;
    this.maxPaths = options.maxPaths ?? 500;
    this.exclude(options.exclude ?? []);
  }

  /**
   * Replaces the paths that must never be learned (a person rejected them as
   * noise): what was counted for them is forgotten, and from now on their
   * differences are not tracked, so they cannot come back by themselves.
   */
  exclude(paths: readonly string[]): void {
    this.excluded = new Set(paths);
    for (const path of this.excluded) this.counts.delete(path);
  }

  /** Two responses of the same upstream to identical requests. Never throws. */
  observe(first: ResponseSide, second: ResponseSide): void {
    try {
      if (isFailedCall(first) || isFailedCall(second)) {
        this.skipped += 1;
        return;
      }
      const max = this.compiled.spec.maxBodyBytes;
      const a = decodeBody(first, max);
      const b = decodeBody(second, max);
      if (!a.ok || !b.ok) {
        this.skipped += 1;
        return;
      }
      const budget = new NodeBudget(this.compiled.nodeBudget);
      const sink = new ObservationSink();
      diffValues(applyTransforms(a.value, this.compiled, budget), applyTransforms(b.value, this.compiled, budget), this.compiled, sink, budget);
      this.record(sink);
    } catch {
      this.skipped += 1;
    }
  }

  /** Generalised paths that count as noise now, sorted; ready for `withIgnoredPaths`. */
  noisyPaths(): string[] {
    return [...this.counts.entries()]
      .filter(([, c]) => this.isNoise(c))
      .map(([path]) => path)
      .sort();
  }

  stats(): NoiseLearnerStats {
    return { observations: this.observations, skipped: this.skipped, trackedPaths: this.counts.size, droppedPaths: this.dropped };
  }

  private record(sink: ObservationSink): void {
    this.observations += 1;
    this.dropped += sink.tooDeep;
    for (const path of sink.present) {
      const counts = this.counts.get(path);
      if (counts) counts.seen += 1;
    }
    for (const path of sink.differing) {
      if (this.excluded.has(path)) continue;
      const counts = this.counts.get(path);
      if (counts) counts.differed += 1;
      else if (this.makeRoom()) this.counts.set(path, { seen: 1, differed: 1 });
      else this.dropped += 1;
    }
  }

  private isNoise(c: PathCounts): boolean {
    return c.seen >= this.minObservations && c.differed >= this.minDifferences && c.differed / c.seen >= this.minRatio;
  }

  /**
   * Evicts the weakest non-noise candidate when full — lowest differed share,
   * then least evidence — so one-off paths cannot crowd out a real noise
   * source still collecting samples. False if every entry is already noise.
   */
  private makeRoom(): boolean {
    if (this.counts.size < this.maxPaths) return true;
    let weakest: { path: string; ratio: number; seen: number } | undefined;
    for (const [path, c] of this.counts) {
      if (this.isNoise(c)) continue;
      const ratio = c.differed / c.seen;
      if (!weakest || ratio < weakest.ratio || (ratio === weakest.ratio && c.seen < weakest.seen)) weakest = { path, ratio, seen: c.seen };
    }
    if (!weakest) return false;
    this.counts.delete(weakest.path);
    this.dropped += 1;
    return true;
  }
}

/** Collects, for one observation, the generalised paths present and the ones that differed (each once). */
class ObservationSink implements DiffSink {
  readonly present = new Set<string>();
  readonly differing = new Set<string>();
  tooDeep = 0;
  private readonly names = new WeakMap<PathNode, string>();

  visit(path: PathNode): void {
    const name = this.nameOf(path);
    if (name !== undefined) this.present.add(name);
  }

  diff(path: PathNode): void {
    const name = this.nameOf(path);
    if (name === undefined) this.tooDeep += 1;
    else this.differing.add(name);
  }

  // Built from the parent's name, which the walk always visits first.
  private nameOf(path: PathNode): string | undefined {
    if (path.depth > MAX_LEARNED_DEPTH) return undefined;
    if (!path.parent || !path.segment) return '$';
    const cached = this.names.get(path);
    if (cached !== undefined) return cached;
    const parent = this.nameOf(path.parent);
    if (parent === undefined) return undefined;
    const name = parent + (path.segment.kind === 'key' ? formatSegment(path.segment) : '[*]');
    this.names.set(path, name);
    return name;
  }
}
