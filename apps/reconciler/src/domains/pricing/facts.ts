import type {
  ExportedCatalog,
  ExportedCompanyLocation,
  ExportedFixedPrice,
  ExportedPriceList,
  ExportedQuantityRule,
  ExportedVariantPrice,
  PricingExportKind,
} from '@understudy/contracts';
import {
  type BulkObject,
  parseId,
  type PricingFact,
  type PricingFactInput,
  pricingFactKey,
  pricingFactPayload,
  priceListFact,
  quantityRuleFact,
} from '@understudy/shopify';
import { z } from 'zod';
import type { ModuleRecord, ShopifyFact } from '../domain';

/**
 * Shopify's B2B pricing as facts, and pricing's export as records, in one
 * comparable form. Pure: the domain's I/O lives in pricing.domain.ts. Kinds
 * are the `reconcile/pricing` fact kinds (`price_list`, `fixed_price` with its
 * quantity breaks, `quantity_rule`, `catalog`, `company_location`); none has a
 * Shopify timestamp, so every version is the snapshot's as-of time — and
 * `variant`, a variant's own (base) price, which has Shopify's `updatedAt` and
 * travels on `reconcile/variant_prices` like a `products/update` webhook.
 */

/** The export kind that holds each record kind. */
export const EXPORT_KIND_OF: Record<PricingKind, PricingExportKind> = {
  variant: 'variants',
  price_list: 'price-lists',
  fixed_price: 'fixed-prices',
  quantity_rule: 'quantity-rules',
  catalog: 'catalogs',
  company_location: 'company-locations',
};
export type PricingKind = PricingFact['kind'] | 'variant';

/** A decimal without insignificant zeros ("1500.0" → "1500", "0.50" → "0.5"): Shopify and PostgreSQL print the same amount differently. */
export function canonicalDecimal(text: string): string {
  if (!text.includes('.')) return text;
  return text.replace(/0+$/, '').replace(/\.$/, '');
}

const money = (text: string | null | undefined) => (text === null || text === undefined ? '' : canonicalDecimal(text));
const byNumber = (a: string, b: string) => a.length - b.length || (a < b ? -1 : a > b ? 1 : 0);

function breaksValue(breaks: ReadonlyArray<{ minimumQuantity: number; price: string }>): string {
  return [...breaks].sort((a, b) => a.minimumQuantity - b.minimumQuantity).map((b) => `${b.minimumQuantity}@${money(b.price)}`).join(',');
}

/** The row's key within its kind, and its canonical value: equal strings mean equal state. */
function keyAndValue(fact: PricingFact): { key: string; value: string } {
  switch (fact.kind) {
    case 'price_list':
      return { key: fact.price_list_id, value: [fact.currency, fact.adjustment?.type ?? '', money(fact.adjustment?.value), fact.compare_at_mode].join('|') };
    case 'fixed_price':
      return {
        key: `${fact.price_list_id}:${fact.variant_id}`,
        value: [money(fact.price), money(fact.compare_at_price), breaksValue((fact.quantity_price_breaks ?? []).map((b) => ({ minimumQuantity: b.minimum_quantity, price: b.price })))].join('|'),
      };
    case 'quantity_rule':
      return { key: `${fact.price_list_id}:${fact.variant_id}`, value: [fact.minimum, fact.maximum ?? '', fact.increment].join('|') };
    case 'catalog':
      return { key: fact.catalog_id, value: [fact.status, fact.price_list_id ?? ''].join('|') };
    case 'company_location':
      return { key: fact.company_location_id, value: [fact.currency, [...(fact.catalog_ids ?? [])].sort(byNumber).join(',')].join('|') };
  }
}

/** One `reconcile/pricing` payload as a fact the run can diff and publish; a payload the registry would refuse throws (Shopify's answer was not what we expect). */
export function pricingFact(input: PricingFactInput): ShopifyFact {
  const parsed = pricingFactPayload.safeParse(input);
  if (!parsed.success) throw new Error(`unexpected ${input.kind} from Shopify: ${parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`);
  const fact = parsed.data;
  return { kind: fact.kind, ...keyAndValue(fact), updatedAt: fact.as_of, topic: 'reconcile/pricing', partitionKey: pricingFactKey(fact), payload: input as Record<string, unknown> };
}

const variantValue = (price: string, compareAtPrice: string | null) => `${money(price)}|${money(compareAtPrice)}`;

/** A variant's base price as Shopify holds it: a `reconcile/variant_prices` fact, versioned by its `updatedAt`. */
export function variantPriceFact(variant: { id: string; productId: string; price: string; compareAtPrice: string | null; updatedAt: string }): ShopifyFact {
  return {
    kind: 'variant',
    key: variant.id,
    updatedAt: variant.updatedAt,
    value: variantValue(variant.price, variant.compareAtPrice),
    topic: 'reconcile/variant_prices',
    partitionKey: variant.productId,
    payload: { id: variant.id, product_id: variant.productId, price: variant.price, compare_at_price: variant.compareAtPrice, updated_at: variant.updatedAt },
  };
}

// ---- bulk objects (JSONL grouped by `__parentId`) --------------------------------------------

/** A GID of this type (any type: catalogs are an interface of several); its numeric id. */
const gid = (type?: string) =>
  z.string().transform((value, context) => {
    const id = parseId(value, type);
    if (id === undefined) context.addIssue({ code: 'custom', message: `not a ${type ?? 'Shopify'} id` });
    return id ?? '';
  });

function parse<S extends z.ZodType>(schema: S, value: unknown, what: string): z.infer<S> {
  const parsed = schema.safeParse(value);
  if (parsed.success) return parsed.data;
  throw new Error(`unexpected ${what} from Shopify: ${parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`);
}

const priceListNode = z.object({
  id: z.string(),
  currency: z.string(),
  parent: z
    .object({
      adjustment: z.object({ type: z.enum(['PERCENTAGE_DECREASE', 'PERCENTAGE_INCREASE']), value: z.number() }),
      settings: z.object({ compareAtMode: z.enum(['ADJUSTED', 'NULLIFY']) }).nullable().optional(),
    })
    .nullable(),
});
const quantityRuleNode = z.object({ minimum: z.number().int(), maximum: z.number().int().nullable(), increment: z.number().int(), productVariant: z.object({ id: z.string() }) });
const catalogNode = z.object({ id: gid(), status: z.enum(['ACTIVE', 'ARCHIVED', 'DRAFT']), priceList: z.object({ id: gid('PriceList') }).nullable() });
const companyLocationNode = z.object({ id: gid('CompanyLocation'), currency: z.string() });
const catalogRef = z.object({ id: gid() });
/** A variant with its own price, in the bulk read and the incremental read alike. */
export const variantPriceNode = z.object({
  id: gid('ProductVariant'),
  price: z.string(),
  compareAtPrice: z.string().nullable(),
  updatedAt: z.iso.datetime({ offset: true }),
  product: z.object({ id: gid('Product') }),
});
export const VARIANT_PRICE_FIELDS = 'id price compareAtPrice updatedAt product { id }';

export function factFromVariantNode(node: unknown): ShopifyFact {
  const variant = parse(variantPriceNode, node, 'product variant');
  return variantPriceFact({ id: variant.id, productId: variant.product.id, price: variant.price, compareAtPrice: variant.compareAtPrice, updatedAt: variant.updatedAt });
}

/**
 * Full runs read what a bulk operation can nest (at most two levels of
 * connections): price lists with their quantity rules, the catalogs, and the
 * company locations with the catalogs they buy through. Fixed prices are read
 * with paged queries instead: their quantity breaks are a third level
 * (priceLists → prices → quantityPriceBreaks), and a fixed price without its
 * breaks is not the row the module holds. Variants' own prices are the fourth
 * (a dropped products/update webhook would leave a base price wrong for good).
 */
export const PRICING_BULK_QUERIES = {
  priceLists: `{ priceLists { edges { node { id currency parent { adjustment { type value } settings { compareAtMode } }
    quantityRules { edges { node { minimum maximum increment productVariant { id } } } } } } } }`,
  catalogs: `{ catalogs { edges { node { id status priceList { id } } } } }`,
  companyLocations: `{ companyLocations { edges { node { id currency catalogs { edges { node { id } } } } } } }`,
  variantPrices: `{ productVariants { edges { node { ${VARIANT_PRICE_FIELDS} } } } }`,
} as const;
export type PricingBulkQuery = keyof typeof PRICING_BULK_QUERIES;

export function factsFromBulkObject(query: string, object: BulkObject, asOf: string): ShopifyFact[] {
  switch (query as PricingBulkQuery) {
    case 'priceLists': {
      const list = parse(priceListNode, object, 'price list');
      const listFact = pricingFact(priceListFact(list, asOf));
      const priceListId = listFact.key;
      const rules = (object.__children ?? []).map((child) => pricingFact(quantityRuleFact(priceListId, parse(quantityRuleNode, child, 'quantity rule'), asOf)));
      return [listFact, ...rules];
    }
    case 'catalogs': {
      const catalog = parse(catalogNode, object, 'catalog');
      return [pricingFact({ kind: 'catalog', catalog_id: catalog.id, status: catalog.status, price_list_id: catalog.priceList?.id ?? null, as_of: asOf })];
    }
    case 'companyLocations': {
      const location = parse(companyLocationNode, object, 'company location');
      const catalogIds = (object.__children ?? []).map((child) => parse(catalogRef, child, 'catalog').id);
      return [pricingFact({ kind: 'company_location', company_location_id: location.id, currency: location.currency, catalog_ids: catalogIds, as_of: asOf })];
    }
    case 'variantPrices':
      return [factFromVariantNode(object)];
    default:
      throw new Error(`unknown pricing bulk query ${query}`);
  }
}

/**
 * The deletion of a module row Shopify's snapshot does not have: the same
 * `reconcile/pricing` fact with `deleted: true`, versioned `asOf`; the module
 * leaves a tombstone, so an older snapshot cannot bring the row back. A
 * variant Shopify no longer has is only reported (undefined): deleting base
 * prices belongs with Shopify's products/delete webhook, not subscribed yet.
 */
export function pricingDeletion(record: Pick<ModuleRecord, 'kind' | 'key'>, asOf: string): ShopifyFact | undefined {
  const [first, second] = record.key.split(':') as [string, string | undefined];
  const common = { as_of: asOf, deleted: true } as const;
  switch (record.kind as PricingKind) {
    case 'variant':
      return undefined;
    case 'price_list':
      return pricingFact({ kind: 'price_list', price_list_id: first, ...common });
    case 'fixed_price':
      return pricingFact({ kind: 'fixed_price', price_list_id: first, variant_id: second ?? '', ...common });
    case 'quantity_rule':
      return pricingFact({ kind: 'quantity_rule', price_list_id: first, variant_id: second ?? '', ...common });
    case 'catalog':
      return pricingFact({ kind: 'catalog', catalog_id: first, ...common });
    case 'company_location':
      return pricingFact({ kind: 'company_location', company_location_id: first, ...common });
    default:
      throw new Error(`not a pricing row: ${record.kind}`);
  }
}

// ---- pricing's export ------------------------------------------------------------------------

/** The module's base price as a record, versioned as the webhook or fact that wrote it. */
export function moduleVariant(row: ExportedVariantPrice): ModuleRecord {
  return { kind: 'variant', key: row.variantId, updatedAt: row.updatedAt, triggeredAt: row.triggeredAt, value: variantValue(row.price, row.compareAtPrice) };
}

/** The module's row as a record; a tombstone is no row (Shopify has nothing to compare it with, and a fact replaces it). */
export function moduleRecord(kind: PricingFact['kind'], row: ExportedPriceList | ExportedFixedPrice | ExportedQuantityRule | ExportedCatalog | ExportedCompanyLocation): ModuleRecord | undefined {
  if (row.deleted) return undefined;
  const version = { updatedAt: row.asOf, triggeredAt: row.asOf };
  let fact: PricingFactInput;
  switch (kind) {
    case 'price_list': {
      const r = row as ExportedPriceList;
      fact = {
        kind,
        price_list_id: r.priceListId,
        currency: r.currency ?? '',
        adjustment: r.adjustmentType && r.adjustmentValue !== null ? { type: r.adjustmentType, value: r.adjustmentValue } : null,
        compare_at_mode: r.compareAtMode ?? 'ADJUSTED',
        as_of: r.asOf,
      };
      break;
    }
    case 'fixed_price': {
      const r = row as ExportedFixedPrice;
      fact = {
        kind,
        price_list_id: r.priceListId,
        variant_id: r.variantId,
        price: r.price ?? '',
        compare_at_price: r.compareAtPrice,
        quantity_price_breaks: r.quantityPriceBreaks.map((b) => ({ minimum_quantity: b.minimumQuantity, price: b.price })),
        as_of: r.asOf,
      };
      break;
    }
    case 'quantity_rule': {
      const r = row as ExportedQuantityRule;
      fact = { kind, price_list_id: r.priceListId, variant_id: r.variantId, minimum: r.minimum ?? 1, maximum: r.maximum, increment: r.increment ?? 1, as_of: r.asOf };
      break;
    }
    case 'catalog': {
      const r = row as ExportedCatalog;
      fact = { kind, catalog_id: r.catalogId, status: r.status ?? 'DRAFT', price_list_id: r.priceListId, as_of: r.asOf };
      break;
    }
    case 'company_location': {
      const r = row as ExportedCompanyLocation;
      fact = { kind, company_location_id: r.companyLocationId, currency: r.currency ?? '', catalog_ids: r.catalogIds, as_of: r.asOf };
      break;
    }
  }
  // The module's row read as if it were a payload, so both sides share one canonical rendering; no validation (the export's contract did that).
  return { kind, ...keyAndValue(fact as PricingFact), ...version };
}
