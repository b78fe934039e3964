import { availableQuantity, canSupply } from './availability';

describe('availableQuantity', () => {
  it('is stock minus reservations, plus what the asking cart holds itself', () => {
    expect(availableQuantity({ tracked: true, onHand: 10, reserved: 4 })).toBe(6);
    expect(availableQuantity({ tracked: true, onHand: 10, reserved: 4, heldByCart: 3 })).toBe(9);
  });

  it('is never negative, even when Shopify sold below what is reserved', () => {
    expect(availableQuantity({ tracked: true, onHand: 2, reserved: 5 })).toBe(0);
  });

  it('is unlimited (null) for an item Shopify does not track', () => {
    expect(availableQuantity({ tracked: false, onHand: 0, reserved: 3 })).toBeNull();
    expect(canSupply(null, 1_000)).toBe(true);
  });

  it('supplies exactly up to what is available', () => {
    expect(canSupply(3, 3)).toBe(true);
    expect(canSupply(3, 4)).toBe(false);
  });
});
