import { routeConfigSchema } from '../routes/route-config';
import type { Observation } from './observation';
import { OTHER_SEGMENTS, RouteStats } from './route-stats';

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
