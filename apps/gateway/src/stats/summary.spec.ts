import { routeConfigSchema } from '../routes/route-config';
import type { Observation } from './observation';
import { RouteStats } from './route-stats';
import { summarizeRouteStats, summarizeWindows } from './summary';
import { WindowStats } from './window-stats';

function clock(start = 1_700_000_000_000) {
  let t = start;
  return { now: () => t, advance: (ms: number) => (t += ms) };
}

const match: Observation = { outcome: 'match', module: { side: 'shadow', failed: false }, primaryMs: 10, shadowMs: 12 };
const mismatchAt = (...paths: string[]): Observation => ({
  outcome: 'mismatch',
  module: { side: 'shadow', failed: false },
  diffs: paths.map((path) => ({ path, kind: 'changed', primary: '1', shadow: '2' })),
});

describe('summing replicas (summarizeWindows, summarizeRouteStats)', () => {
  const latencies = (stats: WindowStats, ms: number, n: number) => {
    for (let i = 0; i < n; i += 1) stats.record({ outcome: 'match', module: { side: 'shadow', failed: false }, primaryMs: ms, shadowMs: ms });
  };

  it('gives the snapshot one window alone would, through its portable form (and JSON)', () => {
    const c = clock();
    const stats = new WindowStats({ windowMs: 60_000, now: c.now });
    latencies(stats, 3, 50);
    stats.record(mismatchAt('$.a', '$.lines[0].x'));
    stats.record({ outcome: 'error', module: { side: 'shadow', failed: true }, primaryMs: 4 });
    expect(summarizeWindows([JSON.parse(JSON.stringify(stats.export()))])).toEqual(stats.snapshot());
  });

  it('sums counts and histogram buckets, so rates and percentiles are those of all requests together', () => {
    const c = clock();
    const fast = new WindowStats({ windowMs: 60_000, now: c.now });
    const slow = new WindowStats({ windowMs: 60_000, now: c.now });
    latencies(fast, 2, 90);
    latencies(slow, 200, 10);
    slow.record(mismatchAt('$.a'));
    const both = summarizeWindows([fast.export(), slow.export()]);
    expect(both.counts.match).toBe(100);
    expect(both.samples).toBe(101);
    expect(both.mismatchRate).toBeCloseTo(1 / 101);
    // 90 % of the requests took 2 ms: the fleet's median is fast, its p99 is the slow replica's.
    expect(both.latency.primary.p50).toBeLessThan(2.2);
    expect(both.latency.primary.p99).toBeGreaterThan(180);
    expect(both.latency.primary.count).toBe(100);
    expect(both.mismatchPaths).toEqual([expect.objectContaining({ path: '$.a', count: 1 })]);
  });

  it('keeps the newest examples across replicas, newest first', () => {
    const c = clock(0);
    const a = new WindowStats({ windowMs: 60_000, now: c.now, examplesPerPath: 2 });
    const b = new WindowStats({ windowMs: 60_000, now: c.now, examplesPerPath: 2 });
    for (const stats of [a, b, a, b]) {
      c.advance(1_000);
      stats.record(mismatchAt('$.a'));
    }
    const [path] = summarizeWindows([a.export(), b.export()], 2).mismatchPaths;
    expect(path).toMatchObject({ path: '$.a', count: 4 });
    expect(path!.examples.map((e) => e.at)).toEqual([4_000, 3_000]);
  });

  it('ignores histogram buckets it does not know (a replica on other code) instead of failing', () => {
    const c = clock();
    const stats = new WindowStats({ windowMs: 60_000, now: c.now });
    latencies(stats, 5, 10);
    const exported = stats.export();
    const foreign = { ...exported, latency: { ...exported.latency, primary: { buckets: [[9_999, 5], [-1, 3], [2.5, 1]] as Array<[number, number]>, max: 7 } } };
    expect(summarizeWindows([exported, foreign]).latency.primary.count).toBe(10);
  });

  it('sums each segment over the replicas that saw it', () => {
    const c = clock();
    const guards = routeConfigSchema.parse({ name: 'a.b' }).guards;
    const a = new RouteStats(guards, { now: c.now });
    const b = new RouteStats(guards, { now: c.now });
    a.record(match, 'wholesale');
    b.record(match, 'wholesale');
    b.record(match, 'retail');
    const report = summarizeRouteStats([a.export(), b.export()]);
    expect(report.overall.samples).toBe(3);
    expect(Object.fromEntries(Object.entries(report.segments).map(([k, v]) => [k, v.samples]))).toEqual({ wholesale: 2, retail: 1 });
    expect(summarizeRouteStats([]).overall.samples).toBe(0);
  });
});

describe('distinct clients', () => {
  const compared = (client: string, outcome: 'match' | 'mismatch' = 'match'): Observation => ({ outcome, module: { side: 'shadow', failed: false }, client });

  it('counts each client once however often it comes, estimated within a few percent, and sums replicas without double counting', () => {
    const now = () => 1_700_000_000_000;
    const a = new WindowStats({ windowMs: 60_000, now, countClients: true });
    const b = new WindowStats({ windowMs: 60_000, now, countClients: true });
    for (let i = 0; i < 5_000; i += 1) a.record(compared(`cart:${i}`));
    for (let i = 2_500; i < 7_500; i += 1) b.record(compared(`cart:${i}`, i % 100 === 0 ? 'mismatch' : 'match'));
    for (let i = 0; i < 10_000; i += 1) a.record(compared('cart:0'));
    const one = a.snapshot().clients;
    expect(Math.abs(one.compared - 5_000) / 5_000).toBeLessThan(0.05);
    expect(one).toMatchObject({ unmatched: 0, matchRate: 1 });
    const both = summarizeWindows([JSON.parse(JSON.stringify(a.export())), b.export()]).clients;
    expect(Math.abs(both.compared - 7_500) / 7_500).toBeLessThan(0.05);
    expect(both.unmatched).toBe(50);
  });

  it('leaves skipped requests and windows that do not count clients at zero', () => {
    const now = () => 0;
    const counting = new WindowStats({ windowMs: 60_000, now, countClients: true });
    counting.record({ outcome: 'skipped', client: 'cart:1' });
    expect(counting.snapshot().clients).toEqual({ compared: 0, unmatched: 0, matchRate: 0 });
    const plain = new WindowStats({ windowMs: 60_000, now });
    plain.record(compared('cart:1'));
    expect(plain.export().clients).toBeUndefined();
    expect(plain.snapshot().clients.compared).toBe(0);
  });
});
