import { z } from 'zod';

/**
 * Pricing's export (`GET /v1/export/{kind}`, docs/pricing.md): what the
 * projection holds, as NDJSON, one row a line, in key order, a page at a time
 * (the `x-next-after` header, `EXPORT_NEXT_HEADER`, carries the next page's
 * `after`). The reconciler's `pricing` domain diffs Shopify's truth against it.
 * B2B rows carry the as-of time of the snapshot that wrote them; tombstones
 * (`deleted: true`) are included, with null values.
 */
export const PRICING_EXPORT_KINDS = ['variants', 'price-lists', 'fixed-prices', 'quantity-rules', 'catalogs', 'company-locations'] as const;
export type PricingExportKind = (typeof PRICING_EXPORT_KINDS)[number];

const numericId = z.string().regex(/^[1-9]\d{0,18}$/);
const isoTime = z.iso.datetime({ offset: true });
/** `numeric` as PostgreSQL prints it: the decimal as written ("19.99", "1500.0"). */
const decimal = z.string().regex(/^\d{1,15}(\.\d{1,6})?$/);
const b2b = { deleted: z.boolean(), asOf: isoTime };

export const exportedVariantPriceSchema = z.object({
  variantId: numericId,
  productId: numericId,
  price: decimal,
  compareAtPrice: decimal.nullable(),
  updatedAt: isoTime,
  triggeredAt: isoTime,
});
export type ExportedVariantPrice = z.infer<typeof exportedVariantPriceSchema>;

export const exportedPriceListSchema = z.object({
  priceListId: numericId,
  currency: z.string().regex(/^[A-Z]{3}$/).nullable(),
  adjustmentType: z.enum(['PERCENTAGE_DECREASE', 'PERCENTAGE_INCREASE']).nullable(),
  adjustmentValue: decimal.nullable(),
  compareAtMode: z.enum(['ADJUSTED', 'NULLIFY']).nullable(),
  ...b2b,
});
export type ExportedPriceList = z.infer<typeof exportedPriceListSchema>;

export const exportedFixedPriceSchema = z.object({
  priceListId: numericId,
  variantId: numericId,
  price: decimal.nullable(),
  compareAtPrice: decimal.nullable(),
  quantityPriceBreaks: z.array(z.object({ minimumQuantity: z.number().int().positive(), price: decimal })),
  ...b2b,
});
export type ExportedFixedPrice = z.infer<typeof exportedFixedPriceSchema>;

export const exportedQuantityRuleSchema = z.object({
  priceListId: numericId,
  variantId: numericId,
  minimum: z.number().int().positive().nullable(),
  maximum: z.number().int().positive().nullable(),
  increment: z.number().int().positive().nullable(),
  ...b2b,
});
export type ExportedQuantityRule = z.infer<typeof exportedQuantityRuleSchema>;

export const exportedCatalogSchema = z.object({
  catalogId: numericId,
  status: z.enum(['ACTIVE', 'ARCHIVED', 'DRAFT']).nullable(),
  priceListId: numericId.nullable(),
  ...b2b,
});
export type ExportedCatalog = z.infer<typeof exportedCatalogSchema>;

export const exportedCompanyLocationSchema = z.object({
  companyLocationId: numericId,
  currency: z.string().regex(/^[A-Z]{3}$/).nullable(),
  catalogIds: z.array(numericId),
  ...b2b,
});
export type ExportedCompanyLocation = z.infer<typeof exportedCompanyLocationSchema>;

export const PRICING_EXPORTED_ROW_SCHEMAS = {
  variants: exportedVariantPriceSchema,
  'price-lists': exportedPriceListSchema,
  'fixed-prices': exportedFixedPriceSchema,
  'quantity-rules': exportedQuantityRuleSchema,
  catalogs: exportedCatalogSchema,
  'company-locations': exportedCompanyLocationSchema,
} as const;

export type PricingExportedRow<K extends PricingExportKind> = z.infer<(typeof PRICING_EXPORTED_ROW_SCHEMAS)[K]>;
