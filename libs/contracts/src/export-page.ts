import { z } from 'zod';
import { MAX_SHOPIFY_ID } from './ids';

/**
 * What the modules' exports (`GET /v1/export/{kind}`: inventory-export.ts, pricing-export.ts) share:
 * NDJSON, one row a line, in key order, a page at a time.
 */

/** Response header carrying the `after` of the next page; absent on the last page. */
export const EXPORT_NEXT_HEADER = 'x-next-after';
export const EXPORT_MAX_LIMIT = 10_000;

/** `after`: the last key of the previous page (`a:b` for a two-part key, the id otherwise); `limit`: rows per page. */
export const exportPageQuerySchema = z.object({
  after: z
    .string()
    // abort: the int8 check below runs only on a key of digits (BigInt throws on anything else).
    .regex(/^[1-9]\d{0,18}(:[1-9]\d{0,18})?$/, { message: 'must be the last key of the previous page', abort: true })
    .refine((value) => value.split(':').every((part) => BigInt(part) <= MAX_SHOPIFY_ID), 'must fit a positive int8')
    .optional(),
  limit: z.coerce.number().int().min(1).max(EXPORT_MAX_LIMIT).default(5_000),
});
export type ExportPageQuery = z.infer<typeof exportPageQuerySchema>;
