import type { Observation } from './observation';
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
