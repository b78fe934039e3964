import { SnapshotFreshness } from './snapshot-freshness';

describe('SnapshotFreshness', () => {
  it('reports the age of the newest snapshot, degraded past the limit or before the first one', async () => {
    let now = Date.parse('2026-12-01T12:00:00Z');
    const freshness = new SnapshotFreshness(60, () => now);
    const probe = freshness.probe();
    expect(probe.critical).toBe(false);
    expect(freshness.ageSeconds()).toBeNull();
    await expect(probe.check()).rejects.toThrow('no B2B snapshot yet');
    freshness.record(new Date('2026-12-01T11:59:30Z'));
    expect(freshness.ageSeconds()).toBe(30);
    await expect(probe.check()).resolves.toEqual({ ageSeconds: 30, maxAgeSeconds: 60 });
    now += 60_000;
    await expect(probe.check()).rejects.toThrow('90 s old (limit 60 s)');
    freshness.recordFailure(new Error('connection refused'));
    await expect(probe.check()).rejects.toThrow('snapshot age unknown: connection refused');
  });
});
