/** What the projection and the reservations say about one inventory item. */
export interface StockFigures {
  /** false: Shopify does not count stock for the item, so it never runs out. */
  tracked: boolean;
  /** Sellable stock: Shopify's `available`, summed over locations. */
  onHand: number;
  /** Units held by reservations that still count (active and unexpired, or sold but not yet in Shopify's levels). */
  reserved: number;
  /** Units the asking cart itself holds: they are available to that cart. */
  heldByCart?: number;
}

/** Units that can still be promised; null when the item is not tracked (unlimited). Never negative. */
export function availableQuantity({ tracked, onHand, reserved, heldByCart = 0 }: StockFigures): number | null {
  if (!tracked) return null;
  return Math.max(0, onHand - reserved + heldByCart);
}

export function canSupply(available: number | null, requested: number): boolean {
  return available === null || available >= requested;
}
