import { z } from 'zod';

/**
 * The reconciler's facts about B2B pricing (`reconcile/pricing`): data Shopify
 * keeps no timestamps on and sends no webhooks for — price lists, fixed prices
 * with their quantity breaks, quantity rules, catalogs and which company
 * locations buy through them. Each fact is one row of Shopify's state as of a
 * snapshot (`as_of`: the bulk operation's `createdAt`, or when the read
 * began); a consumer applies it only over an older row, so a snapshot never
 * overwrites a newer one. `deleted: true` says the row no longer exists as of
 * that snapshot (the value fields are then left out).
 */
const id = z.union([z.number().int().positive().max(Number.MAX_SAFE_INTEGER), z.string().regex(/^[1-9]\d{0,18}$/)]).transform(String);
/** Money and percentages as Shopify's Decimal strings ("19.99", "1500.0"). */
const decimal = z.string().regex(/^\d{1,15}(\.\d{1,6})?$/, 'must be a decimal string');
const currency = z.string().regex(/^[A-Z]{3}$/);
const quantity = z.number().int().min(1).max(1_000_000_000);

const common = { as_of: z.iso.datetime({ offset: true }), deleted: z.boolean().default(false) };

export const priceListFactSchema = z.object({
  kind: z.literal('price_list'),
  price_list_id: id,
  currency: currency.optional(),
  /** `PriceListParent.adjustment`, the percentage as a decimal string; null without a parent. */
  adjustment: z.object({ type: z.enum(['PERCENTAGE_DECREASE', 'PERCENTAGE_INCREASE']), value: decimal }).nullable().optional(),
  compare_at_mode: z.enum(['ADJUSTED', 'NULLIFY']).optional(),
  ...common,
});

export const fixedPriceFactSchema = z.object({
  kind: z.literal('fixed_price'),
  price_list_id: id,
  variant_id: id,
  price: decimal.optional(),
  compare_at_price: decimal.nullable().optional(),
  quantity_price_breaks: z.array(z.object({ minimum_quantity: quantity, price: decimal })).max(100).optional(),
  ...common,
});

export const quantityRuleFactSchema = z.object({
  kind: z.literal('quantity_rule'),
  price_list_id: id,
  variant_id: id,
  minimum: quantity.optional(),
  maximum: quantity.nullable().optional(),
  increment: quantity.optional(),
  ...common,
});

export const catalogFactSchema = z.object({
  kind: z.literal('catalog'),
  catalog_id: id,
  status: z.enum(['ACTIVE', 'ARCHIVED', 'DRAFT']).optional(),
  price_list_id: id.nullable().optional(),
  ...common,
});

export const companyLocationFactSchema = z.object({
  kind: z.literal('company_location'),
  company_location_id: id,
  currency: currency.optional(),
  /** Shopify allows 25 catalogs per company location. */
  catalog_ids: z.array(id).max(25).optional(),
  ...common,
});

const REQUIRED: Record<string, readonly string[]> = {
  price_list: ['currency', 'adjustment', 'compare_at_mode'],
  fixed_price: ['price', 'compare_at_price', 'quantity_price_breaks'],
  quantity_rule: ['minimum', 'maximum', 'increment'],
  catalog: ['status', 'price_list_id'],
  company_location: ['currency', 'catalog_ids'],
};

export const pricingFactPayload = z
  .discriminatedUnion('kind', [priceListFactSchema, fixedPriceFactSchema, quantityRuleFactSchema, catalogFactSchema, companyLocationFactSchema])
  .superRefine((fact, context) => {
    if (fact.deleted) return;
    for (const field of REQUIRED[fact.kind]!) {
      if ((fact as Record<string, unknown>)[field] === undefined) context.addIssue({ code: 'custom', path: [field], message: `required unless deleted` });
    }
  });

export type PricingFact = z.infer<typeof pricingFactPayload>;
export type PricingFactInput = z.input<typeof pricingFactPayload>;
export type PricingFactKind = PricingFact['kind'];

/** One resource per partition: a price list with its prices and rules, a catalog, a company location. */
export function pricingFactKey(fact: PricingFact): string {
  switch (fact.kind) {
    case 'price_list':
    case 'fixed_price':
    case 'quantity_rule':
      return `price_list:${fact.price_list_id}`;
    case 'catalog':
      return `catalog:${fact.catalog_id}`;
    case 'company_location':
      return `company_location:${fact.company_location_id}`;
  }
}

/**
 * The end of a reconcile run of the pricing domain (`reconcile/pricing_snapshot`): published on
 * every partition of the facts' topic once all of the run's facts are acknowledged, so on each
 * partition it comes after them. A consumer that holds the marks of one run from all `partitions`
 * partitions has applied everything the run corrected: its rows equal Shopify's as of `as_of`,
 * whether the run changed them or found them in sync. It is what lets a run without drift still
 * say how fresh the projection is.
 */
export const snapshotMarkPayload = z.object({
  as_of: z.iso.datetime({ offset: true }),
  partitions: z.number().int().min(1).max(100_000),
});
export type SnapshotMark = z.infer<typeof snapshotMarkPayload>;

/**
 * The reconciler's fact about one variant's own price (`reconcile/variant_prices`), for a base
 * price whose `products/update` webhook never arrived. Versioned like the webhook: Shopify's
 * `updated_at` for the variant, then the envelope's triggered-at (the snapshot's as-of time).
 */
export const variantPricePayload = z.object({
  id,
  product_id: id,
  price: decimal,
  compare_at_price: decimal.nullable(),
  updated_at: z.iso.datetime({ offset: true }),
});
export type VariantPriceFact = z.infer<typeof variantPricePayload>;
