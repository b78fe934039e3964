import type { WebhookSubscriptionTopic } from '@understudy/shopify';
/**
 * The simulator's in-memory data model. Records carry their GraphQL
 * `__typename` so `Node` and `Catalog` resolve to the right type. Ids are
 * numeric (Shopify's legacy resource ids) and assigned from fixed bases, so a
 * record's index is its id minus the base: no id → record Map is needed for
 * the 100k-variant catalogue.
 */
export const QUANTITY_NAMES = ['available', 'committed', 'reserved', 'damaged', 'safety_stock', 'quality_control', 'incoming'] as const;
export type StoredQuantityName = (typeof QUANTITY_NAMES)[number];
/** Names `quantities(names:)` answers: the stored ones plus the two Shopify derives. */
export const ALL_QUANTITY_NAMES = [...QUANTITY_NAMES, 'on_hand', 'unavailable'] as const;
export type QuantityName = (typeof ALL_QUANTITY_NAMES)[number];
export const Q = QUANTITY_NAMES.length;
export const QI: Record<StoredQuantityName, number> = Object.fromEntries(QUANTITY_NAMES.map((name, index) => [name, index])) as Record<
  StoredQuantityName,
  number
>;

export const ID_BASE = {
  Product: 8_100_000_000_000,
  ProductVariant: 45_100_000_000_000,
  InventoryItem: 47_100_000_000_000,
  Location: 71_000_000_000,
  Company: 2_100_000_000,
  CompanyLocation: 2_200_000_000,
  CompanyLocationCatalog: 9_100_000_000,
  PriceList: 9_200_000_000,
  QuantityPriceBreak: 9_300_000_000,
} as const;

export interface ProductRecord {
  __typename: 'Product';
  index: number;
  id: number;
  title: string;
  handle: string;
  vendor: string;
  productType: string;
  status: 'ACTIVE' | 'ARCHIVED' | 'DRAFT';
  createdAt: number;
  updatedAt: number;
  /** Indexes into `variants`, in position order. */
  variantIndexes: number[];
}

export interface InventoryItemRecord {
  __typename: 'InventoryItem';
  index: number;
  id: number;
  variant: VariantRecord;
  tracked: boolean;
  requiresShipping: boolean;
  costCents: number;
  createdAt: number;
  updatedAt: number;
}

export interface VariantRecord {
  __typename: 'ProductVariant';
  index: number;
  id: number;
  productIndex: number;
  position: number;
  title: string;
  sku: string;
  barcode: string;
  priceCents: number;
  compareAtCents: number | null;
  inventoryPolicy: 'DENY' | 'CONTINUE';
  createdAt: number;
  updatedAt: number;
  item: InventoryItemRecord;
}

export interface LocationRecord {
  __typename: 'Location';
  index: number;
  id: number;
  name: string;
  isActive: boolean;
  fulfillsOnlineOrders: boolean;
  address: { address1: string; city: string; countryCode: string; zip: string };
  createdAt: number;
  updatedAt: number;
}

/** An inventory level is (item, location); this view is created on demand. */
export interface LevelRef {
  __typename: 'InventoryLevel';
  itemIndex: number;
  locationIndex: number;
}

export interface CompanyRecord {
  __typename: 'Company';
  index: number;
  id: number;
  name: string;
  externalId: string;
  createdAt: number;
  updatedAt: number;
  locationIndexes: number[];
}

export interface CompanyLocationRecord {
  __typename: 'CompanyLocation';
  index: number;
  id: number;
  companyIndex: number;
  name: string;
  externalId: string;
  currency: string;
  catalogIndexes: number[];
  createdAt: number;
  updatedAt: number;
}

export interface CatalogRecord {
  __typename: 'CompanyLocationCatalog';
  index: number;
  id: number;
  title: string;
  status: 'ACTIVE' | 'ARCHIVED' | 'DRAFT';
  priceListIndex: number | null;
  companyLocationIndexes: number[];
}

export interface QuantityPriceBreakRecord {
  __typename: 'QuantityPriceBreak';
  id: number;
  variantIndex: number;
  priceListIndex: number;
  minimumQuantity: number;
  priceCents: number;
}

export interface QuantityRuleRecord {
  __typename: 'QuantityRule';
  variantIndex: number;
  priceListIndex: number;
  minimum: number;
  maximum: number | null;
  increment: number;
}

export interface PriceListRecord {
  __typename: 'PriceList';
  index: number;
  id: number;
  name: string;
  currency: string;
  /** Parent adjustment: a percentage off (DECREASE) or on top of (INCREASE) the variant's price. */
  adjustment: { type: 'PERCENTAGE_DECREASE' | 'PERCENTAGE_INCREASE'; value: number };
  /** `PriceListParent.settings.compareAtMode`: adjust the compare-at price too, or drop it (fixed prices keep their own). */
  compareAtMode: 'ADJUSTED' | 'NULLIFY';
  catalogIndex: number | null;
  /** Fixed prices by variant index; the sorted key list makes them pageable. */
  fixedPrices: Map<number, { priceCents: number; compareAtCents: number | null }>;
  fixedVariantIndexes: number[];
  priceBreaks: Map<number, QuantityPriceBreakRecord[]>;
  quantityRules: Map<number, QuantityRuleRecord>;
  ruleVariantIndexes: number[];
}

/** One row of a price list's `prices` connection. */
export interface PriceListPriceRef {
  __typename: 'PriceListPrice';
  priceListIndex: number;
  variantIndex: number;
}

/** The webhook topics the simulator emits: every webhook topic of the platform's registry. */
export type WebhookTopicEnum = WebhookSubscriptionTopic;

export interface WebhookSubscriptionRecord {
  __typename: 'WebhookSubscription';
  id: number;
  topic: WebhookTopicEnum;
  uri: string;
  format: 'JSON';
  includeFields: string[];
  filter: string | null;
  apiVersion: string;
  createdAt: number;
  updatedAt: number;
  /** Failed retries in a row; Shopify removes an Admin-API subscription after 8. */
  /** Last successful delivery (ms since epoch); a subscription is removed only if a webhook fails every attempt with none succeeding meanwhile. */
  lastSucceededAt?: number;
}

export type BulkOperationStatus = 'CREATED' | 'RUNNING' | 'COMPLETED' | 'FAILED' | 'CANCELING' | 'CANCELED' | 'EXPIRED';

export interface BulkOperationRecord {
  __typename: 'BulkOperation';
  id: number;
  type: 'QUERY' | 'MUTATION';
  status: BulkOperationStatus;
  query: string;
  errorCode: 'ACCESS_DENIED' | 'INTERNAL_SERVER_ERROR' | 'TIMEOUT' | null;
  createdAt: number;
  completedAt: number | null;
  objectCount: number;
  rootObjectCount: number;
  fileSize: number | null;
  /** Where the JSONL lives on disk, and the URL it is served from. */
  filePath: string | null;
  url: string | null;
  cancelRequested: boolean;
}
