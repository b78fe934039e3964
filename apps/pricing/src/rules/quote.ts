import { formatMinor } from './money';
import { type CatalogForVariant, type PriceSource, type QuantityRule, type QuantityRuleBreach, priceVariant, quantityRuleBreach, type VariantPrice } from './price-rules';

/** One line to price, with everything the rules need about its variant and the buyer's catalogs. */
export interface QuoteLineFacts {
  variantId: string;
  quantity: number;
  variant: VariantPrice;
  catalogs: readonly CatalogForVariant[];
}

export interface QuotedLine {
  variantId: string;
  quantity: number;
  unitPrice: string;
  lineTotal: string;
  compareAtPrice: string | null;
  source: PriceSource;
  catalogId: string | null;
  priceListId: string | null;
}

export interface QuantityRuleViolation {
  variantId: string;
  quantity: number;
  breach: QuantityRuleBreach;
  quantityRule: QuantityRule;
  catalogId: string | null;
}

export type QuoteOutcome =
  | { ok: true; currency: string; lines: QuotedLine[]; subtotal: string }
  | { ok: false; violations: QuantityRuleViolation[] };

/**
 * Prices every line; a line total is unit × quantity exactly and the
 * subtotal their exact sum. Any quantity-rule breach refuses the whole quote
 * (every breaching line is reported, so a client fixes them in one go).
 */
export function priceQuote(currency: string, lines: readonly QuoteLineFacts[]): QuoteOutcome {
  const quoted: QuotedLine[] = [];
  const violations: QuantityRuleViolation[] = [];
  let subtotal = 0n;
  for (const line of lines) {
    const priced = priceVariant({ catalogs: line.catalogs, variant: line.variant, quantity: line.quantity, buyerCurrency: currency });
    const breach = quantityRuleBreach(priced.quantityRule, line.quantity);
    if (breach) {
      violations.push({ variantId: line.variantId, quantity: line.quantity, breach, quantityRule: priced.quantityRule, catalogId: priced.catalogId });
      continue;
    }
    const lineTotal = priced.unitPrice * BigInt(line.quantity);
    subtotal += lineTotal;
    quoted.push({
      variantId: line.variantId,
      quantity: line.quantity,
      unitPrice: formatMinor(priced.unitPrice, currency),
      lineTotal: formatMinor(lineTotal, currency),
      compareAtPrice: priced.compareAtPrice === null ? null : formatMinor(priced.compareAtPrice, currency),
      source: priced.source,
      catalogId: priced.catalogId,
      priceListId: priced.priceListId,
    });
  }
  if (violations.length > 0) return { ok: false, violations };
  return { ok: true, currency, lines: quoted, subtotal: formatMinor(subtotal, currency) };
}
