import { z } from 'zod';

/**
 * A Shopify variant id as checkout clients send it: the numeric id (number or
 * decimal string) or its GID, `gid://shopify/ProductVariant/123`. Parsed to
 * the numeric id as a decimal string (ids may exceed 2^53 in principle).
 *
 * libs/shopify has the general `parseId`; contracts may depend on util libs
 * only, so this one knows the one type it needs.
 */
const VARIANT_GID = /^gid:\/\/shopify\/ProductVariant\/(\d{1,20})$/;
const DECIMAL = /^\d{1,20}$/;

export function parseVariantId(value: string | number): string | undefined {
  if (typeof value === 'number') return Number.isSafeInteger(value) && value > 0 ? String(value) : undefined;
  const digits = DECIMAL.test(value) ? value : VARIANT_GID.exec(value)?.[1];
  if (digits === undefined || BigInt(digits) === 0n) return undefined;
  return digits.replace(/^0+/, '');
}

export const variantIdSchema = z
  .union([z.number(), z.string().max(128)])
  .transform((value, context) => {
    const id = parseVariantId(value);
    if (id === undefined) {
      context.addIssue({ code: 'custom', message: 'must be a positive numeric id or a gid://shopify/ProductVariant/<id>' });
      return z.NEVER;
    }
    return id;
  })
  .meta({ description: 'Numeric variant id or its GID (gid://shopify/ProductVariant/<id>).', examples: [44012345678, 'gid://shopify/ProductVariant/44012345678'] });

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
