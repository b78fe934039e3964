import type { BulkObject, ReconcileTopic, ShopifyAdminClient, WebhookTopic } from '@understudy/shopify';

/**
 * A reconcile domain: one module's slice of Shopify's truth (inventory today,
 * pricing next). The run machinery — budget, bulk operations and their
 * restart, paging and checkpoints, the diff, publishing, subscriptions, runs
 * and metrics — is shared; a domain only says what to read from Shopify,
 * how to turn it into facts, and how to read what its module holds.
 * docs/reconciler.md documents this interface for new domains.
 */

/** One row of state, Shopify's or the module's, in a form both sides can be compared in. */
export interface StateRecord {
  /** The row's table within the domain, e.g. `level`, `item`, `product`. */
  kind: string;
  /** The row's id within its kind, e.g. `101:7` (item:location). */
  key: string;
  /**
   * The version: Shopify's `updatedAt` (ISO-8601), or — for data Shopify does
   * not timestamp — the as-of time of the snapshot that produced it.
   */
  updatedAt: string;
  /** A canonical rendering of the row's value: equal strings mean equal state. */
  value: string;
}

/** What Shopify says, ready to publish as a fact if the module disagrees. */
export interface ShopifyFact extends StateRecord {
  /** The registry topic the fact is published on (`reconcile/<resource>`). */
  topic: ReconcileTopic;
  /** The Kafka key: the registry's partition key for the payload (as the webhook topic for the same resource). */
  partitionKey: string;
  /** The payload, in the registry schema of `topic`. */
  payload: Record<string, unknown>;
}

/** What the module holds, from its export API. */
export interface ModuleRecord extends StateRecord {
  /** The triggered-at (webhook) or as-of (fact) time that wrote the row. */
  triggeredAt: string;
}

export interface DomainPage {
  facts: ShopifyFact[];
  /** Resume point of the incremental read after this page (null: last page). */
  endCursor: string | null;
}

export interface IncrementalRead {
  client: ShopifyAdminClient;
  /** Changes at or after this instant (the cursor minus the lookback). */
  since: Date;
  /** Where a checkpointed read resumes; null for the first page. */
  after: string | null;
  /** The run's as-of time: the version of facts about data Shopify does not timestamp. */
  asOf: string;
  signal: AbortSignal;
}

/** Shopify's search syntax for "updated at or after" `since` (whole seconds, rounded down: the window stays inclusive). */
export function updatedSinceFilter(since: Date): string {
  return `updated_at:>='${since.toISOString().replace(/\.\d{3}Z$/, 'Z')}'`;
}

export interface PagedRead {
  client: ShopifyAdminClient;
  /** The run's as-of time (set before anything is read, stable across a resume): the version of what the read finds. */
  asOf: string;
  signal: AbortSignal;
}

export interface ReconcileDomain {
  /** `inventory`, `pricing`: the `domains` of a run, the `domain` label of the drift metric. */
  readonly name: string;
  /** Webhook topics the module depends on: their subscriptions are checked and restored on each run. */
  readonly webhookTopics: readonly WebhookTopic[];
  /** Kinds whose changes arrive by webhook too, counted in the delivery ratio (none for pricing: it has no webhooks). */
  readonly deliveryKinds: readonly string[];
  /**
   * Domains whose every run (full and incremental) reads Shopify's whole state — pricing: the
   * topic of the run's end mark (`reconcile/<resource>_snapshot`), published on every partition
   * once the run's facts are acknowledged, so the module can tell how fresh it is even after a run
   * that found nothing to correct. Left out: no marks.
   */
  readonly snapshotTopic?: ReconcileTopic;
  /** Full runs: bulk queries by name, run as Shopify bulk operations (at most 5 per shop). */
  readonly bulkQueries: Readonly<Record<string, string>>;
  /** Turns one grouped bulk object of query `query` into facts; `asOf` is the operation's `createdAt`. */
  factsFromBulk(query: string, object: BulkObject, asOf: string): ShopifyFact[];
  /**
   * Full runs: facts a bulk operation cannot read (nested deeper than its two
   * levels of connections), read with normal paged queries in the run's
   * budget after the bulk results, diffed and published like them.
   */
  pagedFacts?(read: PagedRead): AsyncIterable<ShopifyFact[]>;
  /** Everything the module holds, streamed (the module's paged export). */
  moduleState(signal: AbortSignal): AsyncIterable<ModuleRecord>;
  /** Incremental runs: pages of Shopify's changes since `read.since`, in the read's budget. */
  changedSince(read: IncrementalRead): AsyncIterable<DomainPage>;
  /** The module's rows for these facts' keys (absent rows are simply missing from the answer). */
  moduleRecordsFor(facts: readonly ShopifyFact[], signal: AbortSignal): Promise<ModuleRecord[]>;
  /**
   * Full runs: the deletion of a module row Shopify's snapshot does not have
   * (`extra`), on the registry's `reconcile/<resource>_delete` topic, carrying
   * `updatedAt` (the deletion's version, from `deletionVersion`). A domain
   * without it, or answering undefined for a kind, only reports those extras.
   */
  deletionFact?(record: ModuleRecord, updatedAt: string): ShopifyFact | undefined;
}
