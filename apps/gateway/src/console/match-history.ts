/**
 * The last minutes of each route's match rate, for the console's plot: one
 * point per sampling tick, kept in a bounded ring per route (points older
 * than `keepMs` are dropped, and never more than `maxPoints`). Plain data in,
 * plain data out; the sampler that feeds it lives in match-history.sampler.ts.
 */
export interface MatchPoint {
  /** Epoch milliseconds. */
  readonly at: number;
  /** Match rate over the route's promotion window at that moment; null before the first comparison. */
  readonly matchRate: number | null;
  /** Comparisons in that window (match + mismatch + error + timeout). */
  readonly samples: number;
  readonly mode: string;
  readonly percent: number;
}

export interface MatchHistoryOptions {
  readonly keepMs: number;
  readonly maxPoints: number;
}

export class MatchHistory {
  private readonly points = new Map<string, MatchPoint[]>();

  constructor(private readonly options: MatchHistoryOptions) {
    if (!(options.keepMs > 0) || !(options.maxPoints >= 1)) throw new RangeError('keepMs and maxPoints must be positive');
  }

  record(route: string, point: MatchPoint): void {
    let list = this.points.get(route);
    if (!list) this.points.set(route, (list = []));
    const last = list.at(-1);
    if (last && point.at < last.at) return; // a clock step back: keep the series ordered
    list.push(point);
    const oldest = point.at - this.options.keepMs;
    let drop = 0;
    while (drop < list.length && list[drop]!.at < oldest) drop += 1;
    drop = Math.max(drop, list.length - this.options.maxPoints);
    if (drop > 0) list.splice(0, drop);
  }

  /** Points of `route` at or after `from`, oldest first (a copy). */
  since(route: string, from: number): MatchPoint[] {
    return (this.points.get(route) ?? []).filter((point) => point.at >= from);
  }

  routes(): string[] {
    return [...this.points.keys()].sort();
  }
}

/** Samples in a report's counts: everything that was compared (skipped shadows were not). */
export function comparedSamples(counts: { match: number; mismatch: number; error: number; timeout: number }): number {
  return counts.match + counts.mismatch + counts.error + counts.timeout;
}
