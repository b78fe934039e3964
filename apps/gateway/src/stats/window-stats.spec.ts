import { compareResponses } from '@understudy/comparison';
import { routeConfigSchema } from '../routes/route-config';
import { OTHER_SEGMENTS, type Observation, RouteStats, WindowStats, observationFrom, summarizeRouteStats, summarizeWindows } from './window-stats';

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

describe('WindowStats', () => {
  it('counts outcomes and computes rates', () => {
    const c = clock();
    const stats = new WindowStats({ windowMs: 60_000, now: c.now });
    for (let i = 0; i < 96; i += 1) stats.record(match);
    stats.record(mismatchAt('$.a'));
    stats.record({ outcome: 'error', module: { side: 'shadow', failed: true } });
    stats.record({ outcome: 'timeout', module: { side: 'shadow', failed: true } });
    stats.record({ outcome: 'error', module: { side: 'shadow', failed: false } }); // the monolith failed
    stats.record({ outcome: 'skipped' });
    const s = stats.snapshot();
    expect(s.counts).toEqual({ match: 96, mismatch: 1, error: 2, timeout: 1, skipped: 1 });
    expect(s.samples).toBe(100);
    expect(s.matchRate).toBeCloseTo(0.96);
    expect(s.mismatchRate).toBeCloseTo(0.01);
    expect(s.moduleCalls).toBe(100);
    expect(s.moduleFailures).toBe(2);
    expect(s.errorRate).toBeCloseTo(0.02);
  });

  it('reports zero rates, not NaN, when empty', () => {
    const s = new WindowStats({ windowMs: 1000, now: clock().now }).snapshot();
    expect([s.samples, s.matchRate, s.mismatchRate, s.errorRate]).toEqual([0, 0, 0, 0]);
    expect(s.latency.primary).toEqual({ count: 0, p50: undefined, p95: undefined, p99: undefined, max: undefined });
  });

  it('forgets samples older than the window, slice by slice', () => {
    const c = clock(0);
    const stats = new WindowStats({ windowMs: 60_000, slots: 60, now: c.now });
    stats.record(match); // t = 0
    c.advance(30_000);
    stats.record(match); // t = 30 s
    expect(stats.snapshot().counts.match).toBe(2);
    c.advance(30_000); // t = 60 s: the first slice has left the window
    expect(stats.snapshot().counts.match).toBe(1);
    c.advance(29_999);
    expect(stats.snapshot().counts.match).toBe(1);
    c.advance(1);
    expect(stats.snapshot().counts.match).toBe(0);
  });

  it('reuses ring slices after a long silence without resurrecting old counts', () => {
    const c = clock(0);
    const stats = new WindowStats({ windowMs: 10_000, slots: 10, now: c.now });
    for (let i = 0; i < 10; i += 1) {
      stats.record(match);
      c.advance(1000);
    }
    c.advance(10 * 10_000 + 3000); // many laps later, same ring positions
    stats.record(match);
    expect(stats.snapshot().counts.match).toBe(1);
  });

  it('ignores samples from a clock that stepped back past the window', () => {
    const c = clock(100_000);
    const stats = new WindowStats({ windowMs: 10_000, slots: 10, now: c.now });
    stats.record(match);
    c.advance(-50_000);
    stats.record(match);
    c.advance(50_000);
    expect(stats.snapshot().counts.match).toBe(1);
  });

  it('estimates latency percentiles per side and for the module', () => {
    const c = clock();
    const stats = new WindowStats({ windowMs: 60_000, now: c.now });
    for (let i = 1; i <= 1000; i += 1) {
      stats.record({ outcome: 'match', module: { side: 'shadow', failed: false }, primaryMs: i, shadowMs: 2 * i });
    }
    const { primary, shadow, module } = stats.snapshot().latency;
    expect(primary.count).toBe(1000);
    expect(primary.max).toBe(1000);
    // Log buckets: within 15% above the true value, never above the max.
    expect(primary.p50! / 500).toBeGreaterThanOrEqual(1);
    expect(primary.p50! / 500).toBeLessThan(1.15);
    expect(primary.p99! / 990).toBeGreaterThanOrEqual(1);
    expect(primary.p99!).toBeLessThanOrEqual(1000);
    expect(shadow.p95! / 1900).toBeLessThan(1.15);
    expect(module).toEqual(shadow);
  });

  it('takes the module latency from the side the module was on, request by request', () => {
    const stats = new WindowStats({ windowMs: 60_000, now: clock().now });
    stats.record({ outcome: 'match', module: { side: 'primary', failed: false }, primaryMs: 100, shadowMs: 5 });
    stats.record({ outcome: 'match', module: { side: 'shadow', failed: false }, primaryMs: 5, shadowMs: 100 });
    stats.record({ primaryMs: 5 }); // not shadowed, module not called
    expect(stats.snapshot().latency.module).toMatchObject({ count: 2, max: 100 });
  });

  it('ignores nonsense latencies and clamps huge ones into the last bucket', () => {
    const stats = new WindowStats({ windowMs: 60_000, now: clock().now });
    stats.record({ primaryMs: -1 });
    stats.record({ primaryMs: Number.NaN });
    stats.record({ primaryMs: 10 * 60_000 });
    expect(stats.snapshot().latency.primary).toMatchObject({ count: 1, p99: 600_000, max: 600_000 });
  });

  it('counts mismatches by generalised path, once per request, with the latest examples', () => {
    const c = clock();
    const stats = new WindowStats({ windowMs: 60_000, now: c.now, examplesPerPath: 2 });
    stats.record(mismatchAt('$.lines[0].available', '$.lines[1].available', '(status)'));
    c.advance(1000);
    stats.record(mismatchAt('$.lines[sku="B"].available'));
    c.advance(1000);
    stats.record(mismatchAt('$.lines[7].available'));
    const { mismatchPaths } = stats.snapshot();
    expect(mismatchPaths.map((p) => [p.path, p.count])).toEqual([
      ['$.lines[*].available', 3],
      ['(status)', 1],
    ]);
    expect(mismatchPaths[0]!.examples.map((e) => e.path)).toEqual(['$.lines[7].available', '$.lines[sku="B"].available']);
    expect(mismatchPaths[0]!.examples[0]).toMatchObject({ kind: 'changed', primary: '1', shadow: '2' });
  });

  it('bounds the path table and the examples', () => {
    const c = clock();
    const stats = new WindowStats({ windowMs: 60_000, slots: 1, now: c.now, maxPaths: 5 });
    for (let i = 0; i < 50; i += 1) stats.record(mismatchAt(`$.field${i}`));
    const s = stats.snapshot();
    expect(s.mismatchPaths).toHaveLength(5);
    expect(s.untrackedPathHits).toBe(45);
    expect(s.mismatchPaths.filter((p) => p.examples.length > 0).length).toBeLessThanOrEqual(5);
  });

  it('expires examples with the window', () => {
    const c = clock(0);
    const stats = new WindowStats({ windowMs: 10_000, slots: 10, now: c.now });
    stats.record(mismatchAt('$.a'));
    c.advance(20_000);
    stats.record(mismatchAt('$.b'));
    expect(stats.snapshot().mismatchPaths).toEqual([expect.objectContaining({ path: '$.b', count: 1 })]);
  });

  it('starts fresh on reset', () => {
    const c = clock();
    const stats = new WindowStats({ windowMs: 60_000, now: c.now });
    stats.record(mismatchAt('$.a'));
    c.advance(5000);
    stats.reset();
    const s = stats.snapshot();
    expect(s.samples).toBe(0);
    expect(s.mismatchPaths).toEqual([]);
    expect(s.since).toBe(c.now());
  });
});

describe('observationFrom', () => {
  const ok = { status: 200, body: { a: 1 } };

  it('charges a shadow failure to the module in shadow mode', () => {
    const comparison = compareResponses(ok, { failure: 'timeout' });
    expect(observationFrom({ primary: 'monolith', shadow: true }, { comparison, primaryMs: 10, shadowMs: 2000 })).toEqual({
      outcome: 'timeout',
      diffs: [],
      module: { side: 'shadow', failed: true },
      primaryMs: 10,
      shadowMs: 2000,
    });
  });

  it('does not charge the module for the monolith failing', () => {
    const comparison = compareResponses({ failure: 'error' }, ok);
    expect(observationFrom({ primary: 'monolith', shadow: true }, { comparison }).module).toEqual({ side: 'shadow', failed: false });
    expect(observationFrom({ primary: 'module', shadow: true }, { comparison }).module).toEqual({ side: 'primary', failed: true });
  });

  it('records a module-only call without a comparison', () => {
    expect(observationFrom({ primary: 'module', shadow: false }, { primaryFailed: true, primaryMs: 30 })).toEqual({
      module: { side: 'primary', failed: true },
      primaryMs: 30,
    });
    expect(observationFrom({ primary: 'monolith', shadow: false }, { primaryMs: 30 })).toEqual({ primaryMs: 30 });
  });
});

describe('RouteStats', () => {
  const guards = routeConfigSchema.parse({ name: 'a.b', guards: { promotion: { windowSeconds: 600 }, rollback: { windowSeconds: 60 } } }).guards;

  it('keeps a long promotion window and a short rollback window', () => {
    const c = clock(0);
    const stats = new RouteStats(guards, { now: c.now });
    stats.record(mismatchAt('$.a'));
    c.advance(120_000);
    stats.record(match);
    const { promotion, rollback, since } = stats.guardStats();
    expect(promotion.samples).toBe(2);
    expect(rollback.samples).toBe(1);
    expect(since).toBe(0);
  });

  it('reports per segment, bounded, with the overflow summed', () => {
    const stats = new RouteStats(guards, { now: clock().now, maxSegments: 2 });
    stats.record(match, 'wholesale');
    stats.record(match, 'wholesale');
    stats.record(match, 'shop#0');
    stats.record(match, 'x');
    stats.record(match, 'y');
    stats.record(match);
    const report = stats.report();
    expect(report.overall.samples).toBe(6);
    expect(Object.fromEntries(Object.entries(report.segments).map(([k, v]) => [k, v.samples]))).toEqual({
      wholesale: 2,
      'shop#0': 1,
      [OTHER_SEGMENTS]: 2,
    });
  });

  it('forgets everything on reset (a new step)', () => {
    const c = clock(0);
    const stats = new RouteStats(guards, { now: c.now });
    stats.record(match, 'seg');
    c.advance(1000);
    stats.reset();
    expect(stats.guardStats()).toMatchObject({ since: 1000, promotion: { samples: 0 }, rollback: { samples: 0 } });
    expect(stats.report().segments).toEqual({});
  });
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
