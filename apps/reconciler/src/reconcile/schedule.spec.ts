import { needsBackfill, nextScheduledAt } from './schedule';

describe('schedule', () => {
  it('runs at once the first time, then every interval from the last start; 0 is off', () => {
    expect(nextScheduledAt(undefined, 300)).toBe(0);
    expect(nextScheduledAt(1_000, 300)).toBe(301_000);
    expect(nextScheduledAt(1_000, 0)).toBeUndefined();
  });

  it('backfills a domain only until its first full run', () => {
    expect(needsBackfill(null)).toBe(true);
    expect(needsBackfill(new Date())).toBe(false);
  });
});
