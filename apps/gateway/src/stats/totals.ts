import { DistinctClients } from './distinct-clients';
import { Histogram } from './histogram';
import { emptyCounts, type PortableWindow, RECORDED_OUTCOMES } from './portable';

type Counters = Pick<PortableWindow, 'counts' | 'moduleCalls' | 'moduleFailures' | 'untrackedPathHits'>;

/** Running sums of counters, latency histograms and path counts: of a window's slices, or of several windows. */
export class Totals {
  readonly counts = emptyCounts();
  moduleCalls = 0;
  moduleFailures = 0;
  untrackedPathHits = 0;
  readonly primary = new Histogram();
  readonly shadow = new Histogram();
  readonly module = new Histogram();
  readonly paths = new Map<string, number>();
  /** Distinct clients compared, and those with a comparison that did not match. */
  readonly clients = new DistinctClients();
  readonly unmatchedClients = new DistinctClients();

  add(counters: Counters, paths: Iterable<readonly [string, number]>): void {
    for (const outcome of RECORDED_OUTCOMES) this.counts[outcome] += counters.counts[outcome] ?? 0;
    this.moduleCalls += counters.moduleCalls;
    this.moduleFailures += counters.moduleFailures;
    this.untrackedPathHits += counters.untrackedPathHits;
    for (const [path, n] of paths) this.paths.set(path, (this.paths.get(path) ?? 0) + n);
  }
}
