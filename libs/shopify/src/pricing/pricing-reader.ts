import type { ShopifyAdminClient } from '../admin/admin-client';
import { parseId } from '../gid';
import type { PricingFactInput } from './pricing-facts';

/**
 * Reads Shopify's B2B pricing page by page (normal queries, each under the
 * 1,000-point limit) and turns it into `reconcile/pricing` facts as of
 * `asOf`. Quantity price breaks sit three connection levels deep
 * (priceLists → prices → quantityPriceBreaks), past what a bulk operation may
 * nest, so this paged read is how they are fetched.
 */
export const PRICE_LISTS_PAGE = /* GraphQL */ `
  query PricingPriceLists($after: String) {
    priceLists(first: 50, after: $after) {
      nodes { id currency parent { adjustment { type value } settings { compareAtMode } } }
      pageInfo { hasNextPage endCursor }
    }
  }`;

/**
 * Quantity breaks read with each fixed price. A page of 50 prices with 5
 * breaks each is requested at 802 points (2 + 50 × (4 + 2 + 5 × 2)), under the
 * 1,000-point query limit; 10 would be 1,302. A price with more breaks is
 * completed by FIXED_PRICE_BREAKS_PAGE, so no break is ever cut off.
 */
const BREAKS_PER_PRICE = 5;

export const FIXED_PRICES_PAGE = /* GraphQL */ `
  query PricingFixedPrices($id: ID!, $after: String) {
    priceList(id: $id) {
      prices(first: 50, after: $after, originType: FIXED) {
        nodes {
          variant { id }
          price { amount }
          compareAtPrice { amount }
          quantityPriceBreaks(first: ${BREAKS_PER_PRICE}) { nodes { minimumQuantity price { amount } } pageInfo { hasNextPage endCursor } }
        }
        pageInfo { hasNextPage endCursor }
      }
    }
  }`;

/**
 * All quantity breaks of one fixed price, for the rare price with more than
 * the page above carries (`prices` filtered by `variant_id`, Admin API 2024-01 and later).
 */
export const FIXED_PRICE_BREAKS_PAGE = /* GraphQL */ `
  query PricingFixedPriceBreaks($id: ID!, $query: String!, $after: String) {
    priceList(id: $id) {
      prices(first: 1, originType: FIXED, query: $query) {
        nodes { quantityPriceBreaks(first: 100, after: $after) { nodes { minimumQuantity price { amount } } pageInfo { hasNextPage endCursor } } }
      }
    }
  }`;

export const QUANTITY_RULES_PAGE = /* GraphQL */ `
  query PricingQuantityRules($id: ID!, $after: String) {
    priceList(id: $id) {
      quantityRules(first: 250, after: $after) {
        nodes { minimum maximum increment productVariant { id } }
        pageInfo { hasNextPage endCursor }
      }
    }
  }`;

export const COMPANY_LOCATIONS_PAGE = /* GraphQL */ `
  query PricingCompanyLocations($after: String) {
    companyLocations(first: 15, after: $after) {
      nodes { id currency catalogs(first: 25) { nodes { id status priceList { id } } } }
      pageInfo { hasNextPage endCursor }
    }
  }`;

type Page<T> = { nodes: T[]; pageInfo: { hasNextPage: boolean; endCursor?: string | null } };
interface PriceListNode {
  id: string;
  currency: string;
  parent: { adjustment: { type: 'PERCENTAGE_DECREASE' | 'PERCENTAGE_INCREASE'; value: number }; settings?: { compareAtMode: 'ADJUSTED' | 'NULLIFY' } | null } | null;
}
type BreakNode = { minimumQuantity: number; price: { amount: string } };
export interface FixedPriceNode {
  variant: { id: string };
  price: { amount: string };
  compareAtPrice: { amount: string } | null;
  /** `pageInfo` as the paged read asks for it; a price built elsewhere may leave it out. */
  quantityPriceBreaks: { nodes: BreakNode[]; pageInfo?: Page<BreakNode>['pageInfo'] };
}
interface QuantityRuleNode {
  minimum: number;
  maximum: number | null;
  increment: number;
  productVariant: { id: string };
}
interface CompanyLocationNode {
  id: string;
  currency: string;
  catalogs: { nodes: Array<{ id?: string; status?: 'ACTIVE' | 'ARCHIVED' | 'DRAFT'; priceList?: { id: string } | null }> };
}

/** The numeric id of a GID Shopify answered; a malformed one is Shopify's bug, not input, so it throws. */
function numericId(gid: string): string {
  const id = parseId(gid);
  if (id === undefined) throw new Error(`Shopify answered a malformed id: ${gid}`);
  return id;
}

/** A GraphQL Float percentage as an exact decimal string (12.5 → "12.5"); never an exponent. */
export function percentString(value: number): string {
  if (!Number.isFinite(value) || value < 0) throw new RangeError(`not a percentage: ${value}`);
  return value.toFixed(6).replace(/\.?0+$/, '');
}

/** Shopify's Decimal for money: kept as the string it is ("1500.0" → "1500.0"). */
function amount(text: string): string {
  return text;
}

export function priceListFact(node: PriceListNode, asOf: string): PricingFactInput {
  return {
    kind: 'price_list',
    price_list_id: numericId(node.id),
    currency: node.currency,
    adjustment: node.parent ? { type: node.parent.adjustment.type, value: percentString(node.parent.adjustment.value) } : null,
    compare_at_mode: node.parent?.settings?.compareAtMode ?? 'ADJUSTED',
    as_of: asOf,
  };
}

export function fixedPriceFact(priceListId: string, node: FixedPriceNode, asOf: string): PricingFactInput {
  return {
    kind: 'fixed_price',
    price_list_id: priceListId,
    variant_id: numericId(node.variant.id),
    price: amount(node.price.amount),
    compare_at_price: node.compareAtPrice ? amount(node.compareAtPrice.amount) : null,
    quantity_price_breaks: node.quantityPriceBreaks.nodes.map((b) => ({ minimum_quantity: b.minimumQuantity, price: amount(b.price.amount) })),
    as_of: asOf,
  };
}

export function quantityRuleFact(priceListId: string, node: QuantityRuleNode, asOf: string): PricingFactInput {
  return { kind: 'quantity_rule', price_list_id: priceListId, variant_id: numericId(node.productVariant.id), minimum: node.minimum, maximum: node.maximum, increment: node.increment, as_of: asOf };
}

/** A company location, and the catalogs it buys through (each catalog once per read). */
export function companyLocationFacts(node: CompanyLocationNode, asOf: string, seenCatalogs: Set<string>): PricingFactInput[] {
  const catalogs = node.catalogs.nodes.filter((c): c is Required<typeof c> => typeof c.id === 'string' && c.status !== undefined);
  const facts: PricingFactInput[] = [
    { kind: 'company_location', company_location_id: numericId(node.id), currency: node.currency, catalog_ids: catalogs.map((c) => numericId(c.id)), as_of: asOf },
  ];
  for (const catalog of catalogs) {
    const catalogId = numericId(catalog.id);
    if (seenCatalogs.has(catalogId)) continue;
    seenCatalogs.add(catalogId);
    facts.push({ kind: 'catalog', catalog_id: catalogId, status: catalog.status, price_list_id: catalog.priceList ? numericId(catalog.priceList.id) : null, as_of: asOf });
  }
  return facts;
}

const EMPTY = { nodes: [], pageInfo: { hasNextPage: false } };
const priceListGid = (priceListId: string) => `gid://shopify/PriceList/${priceListId}`;

/** One price list's fixed prices with all their quantity breaks, a page of facts at a time. */
export async function* readFixedPrices(client: ShopifyAdminClient, priceListId: string, asOf: string, signal?: AbortSignal): AsyncGenerator<PricingFactInput[]> {
  const variables = { id: priceListGid(priceListId) };
  for await (const page of client.paginate<FixedPriceNode, { priceList: { prices: Page<FixedPriceNode> } | null }>(FIXED_PRICES_PAGE, { variables, connection: (d) => d.priceList?.prices ?? EMPTY, signal })) {
    const facts: PricingFactInput[] = [];
    for (const node of page.nodes) {
      const breaks = node.quantityPriceBreaks.pageInfo?.hasNextPage ? await readAllBreaks(client, priceListId, node.variant.id, signal) : node.quantityPriceBreaks.nodes;
      facts.push(fixedPriceFact(priceListId, { ...node, quantityPriceBreaks: { nodes: breaks } }, asOf));
    }
    yield facts;
  }
}

async function readAllBreaks(client: ShopifyAdminClient, priceListId: string, variantGid: string, signal?: AbortSignal): Promise<BreakNode[]> {
  const variables = { id: priceListGid(priceListId), query: `variant_id:${numericId(variantGid)}` };
  const breaks: BreakNode[] = [];
  type Data = { priceList: { prices: { nodes: Array<{ quantityPriceBreaks: Page<BreakNode> }> } } | null };
  for await (const page of client.paginate<BreakNode, Data>(FIXED_PRICE_BREAKS_PAGE, { variables, connection: (d) => d.priceList?.prices.nodes[0]?.quantityPriceBreaks ?? EMPTY, signal })) {
    breaks.push(...page.nodes);
  }
  return breaks;
}

/** Every pricing fact Shopify holds, a page of facts at a time. */
export async function* readPricingFacts(client: ShopifyAdminClient, asOf: string, signal?: AbortSignal): AsyncGenerator<PricingFactInput[]> {
  const priceListIds: string[] = [];
  for await (const page of client.paginate<PriceListNode, { priceLists: Page<PriceListNode> }>(PRICE_LISTS_PAGE, { connection: (d) => d.priceLists, signal })) {
    priceListIds.push(...page.nodes.map((node) => numericId(node.id)));
    yield page.nodes.map((node) => priceListFact(node, asOf));
  }
  for (const priceListId of priceListIds) {
    yield* readFixedPrices(client, priceListId, asOf, signal);
    const variables = { id: priceListGid(priceListId) };
    for await (const page of client.paginate<QuantityRuleNode, { priceList: { quantityRules: Page<QuantityRuleNode> } | null }>(QUANTITY_RULES_PAGE, { variables, connection: (d) => d.priceList?.quantityRules ?? EMPTY, signal })) {
      yield page.nodes.map((node) => quantityRuleFact(priceListId, node, asOf));
    }
  }
  const seenCatalogs = new Set<string>();
  for await (const page of client.paginate<CompanyLocationNode, { companyLocations: Page<CompanyLocationNode> }>(COMPANY_LOCATIONS_PAGE, { connection: (d) => d.companyLocations, signal })) {
    yield page.nodes.flatMap((node) => companyLocationFacts(node, asOf, seenCatalogs));
  }
}
