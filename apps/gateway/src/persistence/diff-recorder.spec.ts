import { type DiffSample, DiffRecorder } from './diff-recorder';

const sample = (route: string): DiffSample => ({
  route,
  segment: undefined,
  at: new Date(0),
  requestId: 'r',
  replica: 'test',
  outcome: 'mismatch',
  reason: undefined,
  primaryUpstream: 'monolith',
  primaryStatus: 200,
  shadowStatus: 200,
  diffs: [{ path: '$.a', kind: 'changed', primary: '1', shadow: '2' }],
  omittedDiffs: 0,
});

const settle = () => new Promise((resolve) => setImmediate(resolve));

describe('DiffRecorder', () => {
  it('keeps at most `perSecond` samples per route per second, in batches', async () => {
    let now = 0;
    const written: DiffSample[][] = [];
    const results: string[] = [];
    const recorder = new DiffRecorder(async (samples) => void written.push(samples), { perSecond: 2, maxQueued: 100, now: () => now, onResult: (r) => results.push(r) });
    for (let i = 0; i < 5; i += 1) recorder.offer(sample('a'));
    recorder.offer(sample('b'));
    now += 500;
    recorder.offer(sample('a'));
    await recorder.close();
    expect(written.flat().map((s) => s.route)).toEqual(['a', 'a', 'b', 'a']);
    expect(results.filter((r) => r === 'rate_limited')).toHaveLength(3);
  });

  it('drops and counts what it cannot write', async () => {
    const results: string[] = [];
    const recorder = new DiffRecorder(() => Promise.reject(new Error('PostgreSQL down')), { perSecond: 10, maxQueued: 100, now: () => 0, onResult: (r) => results.push(r) });
    recorder.offer(sample('a'));
    recorder.offer(sample('a'));
    await recorder.close();
    await settle();
    expect(results).toEqual(['dropped', 'dropped']);
  });
});
