import { comparedSamples, MatchHistory, type MatchPoint } from './match-history';

const point = (at: number, matchRate: number | null = 1): MatchPoint => ({ at, matchRate, samples: 10, mode: 'shadow', percent: 1 });

describe('MatchHistory', () => {
  it('keeps points per route, oldest first, and drops those older than keepMs', () => {
    const history = new MatchHistory({ keepMs: 1_000, maxPoints: 100 });
    history.record('a', point(0));
    history.record('a', point(500, 0.5));
    history.record('b', point(600));
    history.record('a', point(1_400));
    expect(history.since('a', 0).map((p) => p.at)).toEqual([500, 1_400]);
    expect(history.since('a', 600).map((p) => p.at)).toEqual([1_400]);
    expect(history.since('b', 0).map((p) => p.at)).toEqual([600]);
    expect(history.routes()).toEqual(['a', 'b']);
  });

  it('never holds more than maxPoints per route', () => {
    const history = new MatchHistory({ keepMs: 1e9, maxPoints: 3 });
    for (let at = 0; at < 10; at += 1) history.record('a', point(at));
    expect(history.since('a', 0).map((p) => p.at)).toEqual([7, 8, 9]);
  });

  it('ignores a point older than the last one (clock stepped back)', () => {
    const history = new MatchHistory({ keepMs: 1e9, maxPoints: 10 });
    history.record('a', point(10));
    history.record('a', point(5));
    expect(history.since('a', 0).map((p) => p.at)).toEqual([10]);
  });

  it('returns copies and nothing for an unknown route', () => {
    const history = new MatchHistory({ keepMs: 1e9, maxPoints: 10 });
    history.record('a', point(1));
    history.since('a', 0).pop();
    expect(history.since('a', 0)).toHaveLength(1);
    expect(history.since('zzz', 0)).toEqual([]);
  });

  it('rejects nonsense options', () => {
    expect(() => new MatchHistory({ keepMs: 0, maxPoints: 1 })).toThrow(RangeError);
    expect(() => new MatchHistory({ keepMs: 1, maxPoints: 0 })).toThrow(RangeError);
  });

  it('counts compared samples without skipped shadows', () => {
    expect(comparedSamples({ match: 5, mismatch: 2, error: 1, timeout: 1 })).toBe(9);
  });
});
