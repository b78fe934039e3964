import type { LatencySummary } from './histogram';
import type { MismatchExample, OutcomeCounts, PortableRouteStats, PortableWindow } from './portable';
import { Totals } from './totals';

export interface MismatchPath {
  /** Generalised: `$.lines[*].available`. */
  readonly path: string;
  /** Mismatching requests in the window that differed at this path. */
  readonly count: number;
  /** The latest few, newest first. */
  readonly examples: readonly MismatchExample[];
}

/** A window's figures as people and guards read them: rates and percentiles. */
export interface WindowSnapshot {
  /** Start of the oldest slice included, and `now`. */
  readonly from: number;
  readonly to: number;
  /** When these stats started (creation or last reset): the current ramp step's first moment. */
  readonly since: number;
  readonly counts: Readonly<OutcomeCounts>;
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
  /**
   * Distinct clients (sticky keys) compared, estimated (±2 %), those with any
   * comparison that did not match, and the share that only ever matched: what
   * promotion reads, so one client's flood of matching requests weighs as one.
   * Zero where the window does not count clients.
   */
  readonly clients: { readonly compared: number; readonly unmatched: number; readonly matchRate: number };
}

export interface RouteReport {
  readonly overall: WindowSnapshot;
  readonly segments: Record<string, WindowSnapshot>;
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
    if (window.clients) {
      totals.clients.mergePortable(window.clients.compared);
      totals.unmatchedClients.mergePortable(window.clients.unmatched);
    }
  }
  const compared = totals.clients.estimate();
  // Two estimates: never more unmatched clients than clients.
  const unmatched = Math.min(compared, totals.unmatchedClients.estimate());
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
    clients: { compared, unmatched, matchRate: compared === 0 ? 0 : (compared - unmatched) / compared },
  };
}

/** One route's report from one or several replicas' figures: overall, and each segment any of them saw. */
export function summarizeRouteStats(parts: readonly PortableRouteStats[]): RouteReport {
  const keys = [...new Set(parts.flatMap((part) => Object.keys(part.segments)))];
  const segments: Record<string, WindowSnapshot> = {};
  for (const key of keys) segments[key] = summarizeWindows(parts.flatMap((part) => (part.segments[key] ? [part.segments[key]] : [])));
  return { overall: summarizeWindows(parts.map((part) => part.overall)), segments };
}
