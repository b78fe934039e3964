/**
 * The monolith's pricing, as it has always been: JavaScript numbers all the
 * way. A relative price is `base × (1 − pct / 100)`, never rounded to the
 * cent; a line total is `unit × quantity`; the subtotal is a float sum. The
 * answers are right to within a cent or so and occasionally print like
 * 139.92999999999998 — exactly the differences the gateway's comparison spec
 * (transforms + numeric tolerance) has to tell apart from real bugs.
 */

export interface PriceListTerms {
  priceListId: string;
  currency: string;
  adjustmentType: string | null;
  adjustmentValue: number | null;
}

export interface FixedPriceTerms {
  price: number;
  breaks: ReadonlyArray<{ minimumQuantity: number; price: number }>;
}

export type PriceSource = 'base' | 'fixed' | 'adjusted' | 'quantity_break';

export function unitPrice(basePrice: number, quantity: number, priceList?: PriceListTerms, fixed?: FixedPriceTerms): { unitPrice: number; source: PriceSource } {
  if (!priceList) return { unitPrice: basePrice, source: 'base' };
  if (fixed) {
    let best: { minimumQuantity: number; price: number } | undefined;
    for (const priceBreak of fixed.breaks) {
      if (priceBreak.minimumQuantity <= quantity && (!best || priceBreak.minimumQuantity > best.minimumQuantity)) best = priceBreak;
    }
    return best ? { unitPrice: best.price, source: 'quantity_break' } : { unitPrice: fixed.price, source: 'fixed' };
  }
  if (priceList.adjustmentType && priceList.adjustmentValue !== null) {
    const sign = priceList.adjustmentType === 'PERCENTAGE_INCREASE' ? 1 : -1;
    return { unitPrice: basePrice * (1 + (sign * priceList.adjustmentValue) / 100), source: 'adjusted' };
  }
  return { unitPrice: basePrice, source: 'base' };
}

export interface QuoteLine {
  variantId: number;
  quantity: number;
  unitPrice: number;
  lineTotal: number;
  source: PriceSource;
}

export function quoteLine(variantId: string, quantity: number, basePrice: number, priceList?: PriceListTerms, fixed?: FixedPriceTerms): QuoteLine {
  const { unitPrice: unit, source } = unitPrice(basePrice, quantity, priceList, fixed);
  // Ids were numbers in the monolith's JSON long before anyone worried about 2^53.
  return { variantId: Number(variantId), quantity, unitPrice: unit, lineTotal: unit * quantity, source };
}

export function subtotal(lines: readonly QuoteLine[]): number {
  let sum = 0;
  for (const line of lines) sum += line.lineTotal;
  return sum;
}
