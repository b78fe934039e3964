import { soldAtProblem } from './sold-at';

describe('soldAtProblem', () => {
  const reservedAt = new Date('2026-12-01T10:00:00Z');
  const now = new Date('2026-12-01T10:05:00Z');
  const bounds = { reservedAt, now, maxSkewMs: 60_000 };

  it('accepts a sale between the hold and now, with slack for clock skew on both sides', () => {
    for (const at of ['2026-12-01T10:00:00Z', '2026-12-01T10:03:00Z', '2026-12-01T10:05:00Z', '2026-12-01T09:59:30Z', '2026-12-01T10:05:45Z']) {
      expect(soldAtProblem(new Date(at), bounds)).toBeUndefined();
    }
  });

  it('refuses a sale before the reservation existed, naming why', () => {
    expect(soldAtProblem(new Date('2026-12-01T09:58:00Z'), bounds)).toMatch(/before the reservation was made/);
    expect(soldAtProblem(new Date('2000-01-01T00:00:00Z'), bounds)).toMatch(/before the reservation/);
  });

  it('refuses a sale in the future', () => {
    expect(soldAtProblem(new Date('2026-12-01T10:06:30Z'), bounds)).toMatch(/in the future/);
    expect(soldAtProblem(new Date('2099-01-01T00:00:00Z'), bounds)).toMatch(/in the future/);
  });
});
