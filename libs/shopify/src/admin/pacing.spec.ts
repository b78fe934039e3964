import { budgetUse, chargeShare, delayAfterThrottle, delayBeforeSend, delayForShare, newerSnapshot, newShareBucket, projectAvailable, shareTokens } from './pacing';

const status = { maximumAvailable: 2_000, currentlyAvailable: 100, restoreRate: 100 };

describe('cost pacing', () => {
  it('projects the bucket forward at the restore rate, capped at the maximum', () => {
    expect(projectAvailable({ status, at: 0 }, 0)).toBe(100);
    expect(projectAvailable({ status, at: 0 }, 1_500)).toBe(250);
    expect(projectAvailable({ status, at: 0 }, 60_000)).toBe(2_000);
  });

  it('waits exactly until the requested cost fits, counting points already sent', () => {
    expect(delayBeforeSend(undefined, 0, 500)).toBe(0);
    expect(delayBeforeSend({ status, at: 0 }, 0, 100)).toBe(0);
    expect(delayBeforeSend({ status, at: 0 }, 0, 352)).toBe(2_520);
    expect(delayBeforeSend({ status, at: 0 }, 1_000, 352)).toBe(1_520);
    expect(delayBeforeSend({ status, at: 0 }, 0, 100, 50)).toBe(500);
    expect(delayBeforeSend({ status, at: 0 }, 0, 100, 0, 10)).toBe(100);
    // A cost above the bucket can only wait for a full bucket.
    expect(delayBeforeSend({ status, at: 0 }, 0, 5_000)).toBe(19_000);
  });

  it('after THROTTLED waits for the requested cost to be restored', () => {
    expect(delayAfterThrottle({ requestedQueryCost: 302, actualQueryCost: null, throttleStatus: status })).toBe(2_020);
    expect(delayAfterThrottle({ requestedQueryCost: 50, actualQueryCost: null, throttleStatus: status }, 0, 25)).toBe(25);
  });

  it('measures budget use and keeps the snapshot of the latest-sent call', () => {
    expect(budgetUse(950, 100, 10_000)).toBeCloseTo(0.95);
    expect(budgetUse(1, 100, 0)).toBe(0);
    const older = { snapshot: { status, at: 5 }, sequence: 1 };
    const newer = { snapshot: { status, at: 3 }, sequence: 2 };
    expect(newerSnapshot(undefined, older)).toBe(older);
    expect(newerSnapshot(newer, older)).toBe(newer);
    expect(newerSnapshot(older, newer)).toBe(newer);
  });
});

describe('a share of the budget', () => {
  const plus = { maximumAvailable: 20_000, currentlyAvailable: 20_000, restoreRate: 1_000 };

  it('lets a half share spend half the restore rate once its own bucket is empty', () => {
    const bucket = newShareBucket(0.5);
    expect(delayForShare(bucket, undefined, 0, 1_000)).toBe(0);
    expect(shareTokens(bucket, plus, 0)).toBe(10_000);
    chargeShare(bucket, plus, 0, 10_000);
    expect(delayForShare(bucket, plus, 0, 1_000)).toBe(2_000);
    expect(delayForShare(bucket, plus, 1_000, 1_000)).toBe(1_000);
    expect(delayForShare(bucket, plus, 2_000, 1_000)).toBe(0);
  });

  it('refunds what a call did not spend, never beyond the share', () => {
    const bucket = newShareBucket(0.5);
    chargeShare(bucket, plus, 0, 1_000);
    chargeShare(bucket, plus, 0, -900);
    expect(shareTokens(bucket, plus, 0)).toBe(9_900);
    chargeShare(bucket, plus, 0, -5_000);
    expect(shareTokens(bucket, plus, 0)).toBe(10_000);
  });

  it('is no limit at a share of 1, and refuses shares outside (0, 1]', () => {
    const bucket = newShareBucket(1);
    chargeShare(bucket, plus, 0, 20_000);
    expect(delayForShare(bucket, plus, 0, 1_000)).toBe(0);
    expect(() => newShareBucket(0)).toThrow('budget share');
    expect(() => newShareBucket(1.5)).toThrow('budget share');
  });
});
