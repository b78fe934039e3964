import { ShadowSlots } from './shadow-slots';

describe('ShadowSlots', () => {
  it('grants up to its capacity, then refuses instead of queueing', () => {
    const slots = new ShadowSlots(2);
    expect([slots.tryAcquire(), slots.tryAcquire(), slots.tryAcquire()]).toEqual([true, true, false]);
    expect(slots.used).toBe(2);
    slots.release();
    expect(slots.tryAcquire()).toBe(true);
  });

  it('with capacity 0 runs no shadow at all, and never goes negative', () => {
    const slots = new ShadowSlots(0);
    expect(slots.tryAcquire()).toBe(false);
    slots.release();
    expect(slots.used).toBe(0);
  });
});
