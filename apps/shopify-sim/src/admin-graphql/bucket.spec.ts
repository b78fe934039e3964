import { LeakyBucket, PLAN_PRESETS, Throttles } from './bucket';

describe('leaky bucket', () => {
  it('has Shopify’s plan presets with buckets at 20× the restore rate', () => {
    expect(PLAN_PRESETS.standard).toEqual({ restoreRate: 100, maximumAvailable: 2_000 });
    expect(PLAN_PRESETS.advanced).toEqual({ restoreRate: 200, maximumAvailable: 4_000 });
    expect(PLAN_PRESETS.plus).toEqual({ restoreRate: 1_000, maximumAvailable: 20_000 });
  });

  it('charges the requested cost only when available, refills continuously and refunds up to the maximum', () => {
    let now = 0;
    const bucket = new LeakyBucket({ restoreRate: 100, maximumAvailable: 1_000 }, () => now);
    expect(bucket.tryTake(800)).toBe(true);
    expect(bucket.tryTake(300)).toBe(false);
    expect(bucket.status()).toEqual({ maximumAvailable: 1_000, currentlyAvailable: 200, restoreRate: 100 });
    now += 1_000;
    expect(bucket.tryTake(300)).toBe(true);
    bucket.refund(250);
    expect(bucket.status().currentlyAvailable).toBe(250);
    now += 60_000;
    expect(bucket.status().currentlyAvailable).toBe(1_000);
  });

  it('keeps one bucket per shop and token, and reconfigures a shop without refilling it', () => {
    const now = 0;
    const throttles = new Throttles(PLAN_PRESETS.standard, () => now);
    throttles.bucket('a', 't1').tryTake(1_500);
    expect(throttles.bucket('a', 't2').status().currentlyAvailable).toBe(2_000);
    throttles.configure({ restoreRate: 1_000, maximumAvailable: 20_000 }, { shop: 'a' });
    expect(throttles.bucket('a', 't1').status()).toEqual({ maximumAvailable: 20_000, currentlyAvailable: 500, restoreRate: 1_000 });
    expect(throttles.bucket('b', 't1').status().maximumAvailable).toBe(2_000);
    throttles.configure(PLAN_PRESETS.standard, { currentlyAvailable: 0 });
    expect(throttles.bucket('b', 't1').status().currentlyAvailable).toBe(0);
  });
});
