import { deliveryFreshness } from './freshness';

const now = new Date('2026-12-01T12:00:00Z');
const policy = { maxAgeMs: 6 * 3600_000, maxSkewMs: 300_000 };
const check = (triggeredAt: string, signedUpdatedAt?: string) => deliveryFreshness({ triggeredAt, signedUpdatedAt }, now, policy);

describe('deliveryFreshness', () => {
  it("accepts deliveries inside Shopify's retry window, with slack for clocks", () => {
    expect(check('2026-12-01T12:00:00Z', '2026-12-01T11:59:59Z')).toEqual({ fresh: true });
    // The last retry, four hours after the trigger, with the original payload.
    expect(check('2026-12-01T08:00:00Z', '2026-12-01T07:59:58Z')).toEqual({ fresh: true });
    expect(check('2026-12-01T12:04:00Z')).toEqual({ fresh: true });
  });

  it('refuses a delivery triggered before the window, or in the future', () => {
    expect(check('2026-12-01T05:00:00Z')).toMatchObject({ fresh: false, reason: expect.stringContaining('retry window') });
    expect(check('2026-12-01T12:10:00Z')).toMatchObject({ fresh: false, reason: expect.stringContaining('future') });
  });

  it('refuses an old signed body whose triggered-at header was rewritten to now', () => {
    expect(check('2026-12-01T12:00:00Z', '2026-11-20T10:00:00Z')).toMatchObject({ fresh: false, reason: expect.stringContaining('updated_at') });
  });
});
