import { z } from 'zod';

/**
 * Shopify ids are positive signed 64-bit integers, stored as PostgreSQL
 * `int8`; anything larger is not an id (and would overflow the column), so it
 * is refused at the edge with a 400 instead of failing in the database.
 */
export const MAX_SHOPIFY_ID = 9_223_372_036_854_775_807n;

/** A shop's permanent domain, `example.myshopify.com`: in config, webhook headers and the simulator's control API. */
export const shopDomainSchema = z.string().regex(/^[a-z0-9][a-z0-9-]*\.myshopify\.com$/, 'must be a *.myshopify.com domain');

/** An Admin API version, `2026-10` or `unstable`. */
export const shopifyApiVersionSchema = z.string().regex(/^(\d{4}-\d{2}|unstable)$/, 'must be YYYY-MM or unstable');

/** The Admin API version the platform is built and tested against. */
export const DEFAULT_SHOPIFY_API_VERSION = '2026-10';

const DECIMAL = /^\d{1,19}$/;
const GID = /^gid:\/\/shopify\/([A-Za-z]+)\/(\d{1,19})$/;

/**
 * A Shopify numeric id (number or decimal string) or its GID
 * (`gid://shopify/<type>/123`, of `type` when given), parsed to the numeric id
 * as a decimal string without leading zeros (ids may exceed 2^53); undefined
 * when it is not one or does not fit a positive int8.
 */
export function parseShopifyId(value: string | number, type?: string): string | undefined {
  if (typeof value === 'number') return Number.isSafeInteger(value) && value > 0 ? String(value) : undefined;
  let digits: string | undefined;
  if (DECIMAL.test(value)) digits = value;
  else {
    const match = GID.exec(value);
    if (match && (type === undefined || match[1] === type)) digits = match[2];
  }
  if (digits === undefined) return undefined;
  const id = BigInt(digits);
  return id > 0n && id <= MAX_SHOPIFY_ID ? id.toString() : undefined;
}

/**
 * A Shopify variant id as checkout clients send it: the numeric id (number or
 * decimal string) or its GID, `gid://shopify/ProductVariant/123`.
 */
export function parseVariantId(value: string | number): string | undefined {
  return parseShopifyId(value, 'ProductVariant');
}

const idMessage = (type: string) => `must be a positive 64-bit numeric id or a gid://shopify/${type}/<id>`;
/** The documented shape (OpenAPI); the int8 bound itself is checked in code (a pattern cannot say it). */
const idPattern = (type: string) => new RegExp(`^(?:gid://shopify/${type}/)?\\d{1,19}$`);

/** Validates a Shopify id of `type` (number, numeric string or GID) and parses it to the numeric id. */
export function shopifyIdSchema(type: string) {
  return z
    .union(
      [
        z.number({ error: idMessage(type) }).int({ error: idMessage(type) }).min(1, { error: idMessage(type) }).max(Number.MAX_SAFE_INTEGER, { error: idMessage(type) }),
        z.string({ error: idMessage(type) }).regex(idPattern(type), { error: idMessage(type) }),
      ],
      { error: idMessage(type) },
    )
    .transform((value, context) => {
      const id = parseShopifyId(value, type);
      if (id === undefined) {
        context.addIssue({ code: 'custom', message: idMessage(type) });
        return z.NEVER;
      }
      return id;
    });
}

/** Validates a Shopify id of `type` (numeric string or GID) and keeps it as sent. */
export function shopifyIdStringSchema(type: string) {
  return z
    .string()
    .regex(idPattern(type), idMessage(type))
    .refine((value) => parseShopifyId(value, type) !== undefined, { message: idMessage(type) });
}

export const variantIdSchema = shopifyIdSchema('ProductVariant').meta({
  description: 'Numeric variant id (a positive 64-bit integer) or its GID (gid://shopify/ProductVariant/<id>).',
  examples: [44012345678, 'gid://shopify/ProductVariant/44012345678'],
});

/** Most units one line may ask for. */
export const MAX_QUANTITY = 1_000_000;
/** Most lines in one reservation or quote. */
export const MAX_LINES = 100;

export const quantitySchema = z.number().int().positive().max(MAX_QUANTITY);

export const cartTokenSchema = z
  .string()
  .min(1)
  .max(255)
  .meta({ description: "The cart's token. Checkout clients hold the monolith's signed token (lm1.…); the gateway maps it for the modules." });
