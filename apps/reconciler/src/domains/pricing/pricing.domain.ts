import type { ExportedVariantPrice } from '@understudy/contracts';
import { type BulkObject, readFixedPrices, readPricingFacts, type WebhookTopic } from '@understudy/shopify';
import { type DomainPage, type IncrementalRead, type ModuleRecord, type PagedRead, type ReconcileDomain, type ShopifyFact, updatedSinceFilter } from '../domain';
import { recordId } from '../diff';
import {
  EXPORT_KIND_OF,
  factFromVariantNode,
  factsFromBulkObject,
  moduleRecord,
  moduleVariant,
  PRICING_BULK_QUERIES,
  pricingDeletion,
  pricingFact,
  type PricingKind,
  VARIANT_PRICE_FIELDS,
} from './facts';
import type { PricingExportClient } from './pricing-export.client';

const KINDS = Object.keys(EXPORT_KIND_OF) as PricingKind[];
/** The incremental read's resume point once the B2B state is read: `variants:` then the page cursor. */
const VARIANTS_CURSOR = 'variants:';

type Page<T> = { nodes: T[]; pageInfo: { hasNextPage: boolean; endCursor?: string | null } };

/** The price lists, for the paged read of their fixed prices (a list without any is skipped). */
const PRICE_LIST_IDS = /* GraphQL */ `
  query PricingPriceListIds($after: String) {
    priceLists(first: 250, after: $after) { nodes { id fixedPricesCount } pageInfo { hasNextPage endCursor } }
  }`;

/** Incremental runs: the variants Shopify changed in the window, with their own prices. */
const CHANGED_VARIANT_PRICES = /* GraphQL */ `
  query ChangedVariantPrices($after: String, $query: String!) {
    productVariants(first: 250, after: $after, query: $query, sortKey: ID) { nodes { ${VARIANT_PRICE_FIELDS} } pageInfo { hasNextPage endCursor } }
  }`;

/**
 * The reconciler's `pricing` domain: Shopify's B2B pricing (price lists,
 * fixed prices with their quantity breaks, quantity rules, catalogs and the
 * company locations buying through them) against pricing's export. None of it
 * has webhooks or timestamps: the reconciler is its only path into the module,
 * and every fact's version is the snapshot's as-of time, so the module's guard
 * lets a snapshot replace older snapshots only.
 *
 * - Full runs: three bulk operations (what fits a bulk query's two levels of
 *   nesting) plus paged reads of the fixed prices with their breaks.
 * - Incremental runs: Shopify has no "changed since" for these rows, so the
 *   whole B2B state is re-read with paged queries (`readPricingFacts`) as one
 *   page, against the module's rows of the same kinds. B2B state is small
 *   (price lists × fixed prices), and the reads go through the run's budget.
 *   Then the variants changed in the window (`updated_at:>=`), page by page.
 * - Base prices (kind `variant`) are diffed too, in both: a products/update
 *   webhook Shopify dropped would otherwise leave a price wrong for good.
 */
export class PricingDomain implements ReconcileDomain {
  readonly name = 'pricing';
  /** Base prices reach the module by webhook; their subscription is checked with each run. */
  readonly webhookTopics: readonly WebhookTopic[] = ['products/update'];
  readonly deliveryKinds = [] as const;
  /** Every run reads the whole B2B state, so its end confirms the projection as of the run's snapshot. */
  readonly snapshotTopic = 'reconcile/pricing_snapshot' as const;
  readonly bulkQueries = PRICING_BULK_QUERIES;

  constructor(private readonly exports: PricingExportClient) {}

  factsFromBulk(query: string, object: BulkObject, asOf: string): ShopifyFact[] {
    return factsFromBulkObject(query, object, asOf);
  }

  async *pagedFacts(read: PagedRead): AsyncIterable<ShopifyFact[]> {
    const lists: string[] = [];
    const listPages = read.client.paginate<{ id: string; fixedPricesCount: number }, { priceLists: Page<{ id: string; fixedPricesCount: number }> }>(PRICE_LIST_IDS, {
      connection: (data) => data.priceLists,
      signal: read.signal,
    });
    for await (const page of listPages) for (const node of page.nodes) if (node.fixedPricesCount > 0) lists.push(node.id);
    for (const id of lists) {
      for await (const facts of readFixedPrices(read.client, id.replace(/^.*\//, ''), read.asOf, read.signal)) yield facts.map(pricingFact);
    }
  }

  async *moduleState(signal: AbortSignal): AsyncIterable<ModuleRecord> {
    for (const kind of KINDS) yield* this.moduleRows(kind, signal);
  }

  async *changedSince(read: IncrementalRead): AsyncIterable<DomainPage> {
    if (!read.after?.startsWith(VARIANTS_CURSOR)) {
      const facts: ShopifyFact[] = [];
      for await (const page of readPricingFacts(read.client, read.asOf, read.signal)) facts.push(...page.map(pricingFact));
      yield { facts, endCursor: VARIANTS_CURSOR };
    }
    const after = read.after?.startsWith(VARIANTS_CURSOR) ? read.after.slice(VARIANTS_CURSOR.length) || null : null;
    const variables = { query: updatedSinceFilter(read.since) };
    const pages = read.client.paginate<unknown, { productVariants: Page<unknown> }>(CHANGED_VARIANT_PRICES, { variables, after, connection: (data) => data.productVariants, signal: read.signal });
    for await (const page of pages) yield { facts: page.nodes.map(factFromVariantNode), endCursor: page.endCursor === null ? null : `${VARIANTS_CURSOR}${page.endCursor}` };
  }

  async moduleRecordsFor(facts: readonly ShopifyFact[], signal: AbortSignal): Promise<ModuleRecord[]> {
    const wanted = new Set(facts.map(recordId));
    const kinds = new Set(facts.map((fact) => fact.kind as PricingKind));
    const records: ModuleRecord[] = [];
    for (const kind of KINDS.filter((k) => kinds.has(k))) {
      for await (const record of this.moduleRows(kind, signal)) if (wanted.has(recordId(record))) records.push(record);
    }
    return records;
  }

  /** A row Shopify no longer has (a full run's extra): its deletion, which the module keeps as a tombstone. */
  deletionFact(record: ModuleRecord, updatedAt: string): ShopifyFact | undefined {
    return pricingDeletion(record, updatedAt);
  }

  private async *moduleRows(kind: PricingKind, signal: AbortSignal): AsyncIterable<ModuleRecord> {
    if (kind === 'variant') {
      for await (const row of this.exports.all('variants', signal)) yield moduleVariant(row as ExportedVariantPrice);
      return;
    }
    for await (const row of this.exports.all(EXPORT_KIND_OF[kind], signal)) {
      const record = moduleRecord(kind, row as Parameters<typeof moduleRecord>[1]);
      if (record) yield record;
    }
  }
}
