import { z } from 'zod';
import { MAX_LINES, quantitySchema, shopifyIdStringSchema, variantIdSchema } from './ids';

/**
 * Money crosses service boundaries as a decimal string in the currency's
 * major unit ("19.99"), never as a binary float. The legacy monolith does not
 * follow this (it answers floats); the gateway's comparison spec absorbs that.
 */
export const decimalStringSchema = z
  .string()
  .regex(/^-?\d{1,15}(\.\d{1,6})?$/, 'must be a decimal string such as "19.99"')
  .meta({ description: 'A decimal amount in the major unit, as a string.', examples: ['19.99'] });

export const CURRENCIES = ['USD', 'CAD', 'EUR', 'GBP', 'AUD', 'JPY'] as const;
export const currencySchema = z.enum(CURRENCIES);
export type Currency = (typeof CURRENCIES)[number];

/**
 * Digits of each currency's minor unit (ISO 4217 exponent): JPY has none, the
 * others two. The one home of this fact: pricing's exact money rounds to it,
 * the gateway's comparison of pricing.quote tolerates half of it.
 */
export const CURRENCY_MINOR_DIGITS: Readonly<Record<Currency, number>> = { USD: 2, CAD: 2, EUR: 2, GBP: 2, AUD: 2, JPY: 0 };

/** Digits after the decimal point in the currency's minor unit (two for a currency not listed, as most have). */
export function minorUnitDigits(currency: string): number {
  return (CURRENCY_MINOR_DIGITS as Readonly<Record<string, number>>)[currency] ?? 2;
}

/** `POST /v1/pricing/quote` (gateway) — `POST /pricing/quote` (monolith), `POST /v1/quotes` (pricing module). */
export const priceQuoteRequestSchema = z.object({
  /** B2B buyer: the company location's catalog (price list) applies. */
  companyLocationId: shopifyIdStringSchema('CompanyLocation').optional().meta({ description: 'Numeric id or gid://shopify/CompanyLocation/<id>.' }),
  customerId: z.string().min(1).max(128).optional(),
  currency: currencySchema.meta({ description: "The currency the buyer pays in; must be the price list's (or the shop's) currency." }),
  lines: z.array(z.object({ variantId: variantIdSchema, quantity: quantitySchema })).min(1).max(MAX_LINES),
  cartToken: z.string().min(1).max(255).optional(),
});
export type PriceQuoteRequest = z.infer<typeof priceQuoteRequestSchema>;
export type PriceQuoteRequestInput = z.input<typeof priceQuoteRequestSchema>;

export const priceQuoteLineSchema = z.object({
  variantId: z.string(),
  quantity: z.number().int(),
  unitPrice: decimalStringSchema,
  lineTotal: decimalStringSchema,
  /** Where the unit price came from. */
  source: z.enum(['base', 'fixed', 'adjusted', 'quantity_break']).optional(),
  /** The compare-at price the buyer sees (pricing module; the monolith has none). */
  compareAtPrice: decimalStringSchema.nullable().optional(),
  /** The catalog and price list that won the line (lowest price across the buyer's catalogs); null: the variant's own price. */
  catalogId: z.string().nullable().optional(),
  priceListId: z.string().nullable().optional(),
});

export const priceQuoteResponseSchema = z.object({
  currency: currencySchema,
  priceListId: z.string().nullable(),
  lines: z.array(priceQuoteLineSchema),
  subtotal: decimalStringSchema,
  /** How fresh the B2B data behind the quote is: the oldest snapshot it used (pricing module); null for a retail quote. */
  asOf: z.string().nullable().optional(),
});
export type PriceQuoteResponse = z.infer<typeof priceQuoteResponseSchema>;
