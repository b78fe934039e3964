/**
 * The subset of Shopify's Admin GraphQL schema the simulator serves. Type,
 * field, argument and enum names are Shopify's own (shopify.dev/docs/api/admin-graphql),
 * so a query written against Shopify validates here unchanged — and a field
 * Shopify does not have is a validation error here too.
 * The webhook subscription topics are the webhook topics of the platform's
 * registry (libs/shopify/src/topics/registry.ts).
 */
import { subscriptionTopic, WEBHOOK_TOPIC_NAMES } from '@understudy/shopify';

const connectionArgs = `first: Int, after: String, last: Int, before: String, reverse: Boolean = false`;

/** A node type's connection and edge types, as Shopify declares every one of them. */
const connection = (node: string) => `type ${node}Connection {
  edges: [${node}Edge!]!
  nodes: [${node}!]!
  pageInfo: PageInfo!
}
type ${node}Edge { cursor: String! node: ${node}! }`;

export const ADMIN_SDL = /* GraphQL */ `
"An ISO-8601 date and time."
scalar DateTime
"A decimal amount, serialized as a string."
scalar Decimal
"A monetary value as a decimal string."
scalar Money
"A 64-bit unsigned integer, serialized as a string."
scalar UnsignedInt64
"An RFC 3986 URL."
scalar URL

"Makes a mutation safe to retry: the same key returns the original result."
directive @idempotent(key: String!) on FIELD

interface Node {
  id: ID!
}

type PageInfo {
  hasNextPage: Boolean!
  hasPreviousPage: Boolean!
  startCursor: String
  endCursor: String
}

type Count {
  count: Int!
  precision: CountPrecision!
}

enum CountPrecision { EXACT AT_LEAST }

enum CurrencyCode { USD CAD EUR GBP AUD JPY }

type MoneyV2 {
  amount: Decimal!
  currencyCode: CurrencyCode!
}

type Shop implements Node {
  id: ID!
  name: String!
  myshopifyDomain: String!
  currencyCode: CurrencyCode!
  ianaTimezone: String!
  plan: ShopPlan!
}

type ShopPlan {
  displayName: String!
  shopifyPlus: Boolean!
}

enum ProductStatus { ACTIVE ARCHIVED DRAFT }
enum ProductVariantInventoryPolicy { DENY CONTINUE }
enum ProductVariantSortKeys { ID SKU TITLE POSITION INVENTORY_QUANTITY }
enum ProductSortKeys { ID TITLE UPDATED_AT CREATED_AT }

type Product implements Node {
  id: ID!
  legacyResourceId: UnsignedInt64!
  title: String!
  handle: String!
  vendor: String!
  productType: String!
  status: ProductStatus!
  createdAt: DateTime!
  updatedAt: DateTime!
  totalInventory: Int!
  tracksInventory: Boolean!
  variantsCount: Count
  variants(${connectionArgs}): ProductVariantConnection!
}

${connection('Product')}

type ProductVariant implements Node {
  id: ID!
  legacyResourceId: UnsignedInt64!
  title: String!
  displayName: String!
  sku: String
  barcode: String
  position: Int!
  price: Money!
  compareAtPrice: Money
  inventoryPolicy: ProductVariantInventoryPolicy!
  inventoryQuantity: Int
  availableForSale: Boolean!
  createdAt: DateTime!
  updatedAt: DateTime!
  product: Product!
  inventoryItem: InventoryItem!
}

${connection('ProductVariant')}

type InventoryItem implements Node {
  id: ID!
  legacyResourceId: UnsignedInt64!
  sku: String
  tracked: Boolean!
  requiresShipping: Boolean!
  unitCost: MoneyV2
  createdAt: DateTime!
  updatedAt: DateTime!
  variant: ProductVariant!
  inventoryLevel(locationId: ID!): InventoryLevel
  inventoryLevels(${connectionArgs}, query: String): InventoryLevelConnection!
  locationsCount: Count
}

${connection('InventoryItem')}

type InventoryLevel implements Node {
  id: ID!
  item: InventoryItem!
  location: Location!
  quantities(names: [String!]!): [InventoryQuantity!]!
  canDeactivate: Boolean!
  isActive: Boolean
  createdAt: DateTime!
  updatedAt: DateTime!
}

type InventoryQuantity implements Node {
  id: ID!
  name: String!
  quantity: Int!
  updatedAt: DateTime
}

${connection('InventoryLevel')}

type LocationAddress {
  address1: String
  city: String
  countryCode: String
  zip: String
}

type Location implements Node {
  id: ID!
  legacyResourceId: UnsignedInt64!
  name: String!
  isActive: Boolean!
  fulfillsOnlineOrders: Boolean!
  address: LocationAddress!
  createdAt: DateTime!
  updatedAt: DateTime!
  inventoryLevel(inventoryItemId: ID!): InventoryLevel
  inventoryLevels(${connectionArgs}, query: String): InventoryLevelConnection!
}

${connection('Location')}

type InventoryChange {
  name: String!
  delta: Int!
  quantityAfterChange: Int
  item: InventoryItem
  location: Location
  ledgerDocumentUri: URL
}

type InventoryAdjustmentGroup implements Node {
  id: ID!
  createdAt: DateTime!
  reason: String!
  referenceDocumentUri: String
  changes(inventoryItemIds: [ID!], locationIds: [ID!], quantityNames: [String!]): [InventoryChange!]!
}

input InventoryQuantityInput {
  inventoryItemId: ID!
  locationId: ID!
  quantity: Int!
  changeFromQuantity: Int
  compareQuantity: Int @deprecated(reason: "Use changeFromQuantity instead.")
}

input InventorySetQuantitiesInput {
  name: String!
  reason: String!
  referenceDocumentUri: String
  quantities: [InventoryQuantityInput!]!
  ignoreCompareQuantity: Boolean = false @deprecated(reason: "Pass changeFromQuantity: null to opt out of the check.")
}

input InventoryChangeInput {
  delta: Int!
  inventoryItemId: ID!
  locationId: ID!
  ledgerDocumentUri: String
  changeFromQuantity: Int
}

input InventoryAdjustQuantitiesInput {
  name: String!
  reason: String!
  referenceDocumentUri: String
  changes: [InventoryChangeInput!]!
}

enum InventorySetQuantitiesUserErrorCode {
  CHANGE_FROM_QUANTITY_STALE
  COMPARE_QUANTITY_REQUIRED
  COMPARE_QUANTITY_STALE
  IDEMPOTENCY_CONCURRENT_REQUEST
  IDEMPOTENCY_KEY_PARAMETER_MISMATCH
  INVALID_INVENTORY_ITEM
  INVALID_LOCATION
  INVALID_NAME
  INVALID_QUANTITY_NEGATIVE
  INVALID_QUANTITY_TOO_HIGH
  INVALID_REASON
  INVALID_REFERENCE_DOCUMENT
  ITEM_NOT_STOCKED_AT_LOCATION
  NON_MUTABLE_INVENTORY_ITEM
  NO_DUPLICATE_INVENTORY_ITEM_ID_GROUP_ID_PAIR
}

type InventorySetQuantitiesUserError {
  code: InventorySetQuantitiesUserErrorCode
  field: [String!]
  message: String!
}

type InventorySetQuantitiesPayload {
  inventoryAdjustmentGroup: InventoryAdjustmentGroup
  userErrors: [InventorySetQuantitiesUserError!]!
}

enum InventoryAdjustQuantitiesUserErrorCode {
  CHANGE_FROM_QUANTITY_STALE
  IDEMPOTENCY_CONCURRENT_REQUEST
  IDEMPOTENCY_KEY_PARAMETER_MISMATCH
  INTERNAL_LEDGER_DOCUMENT
  INVALID_AVAILABLE_DOCUMENT
  INVALID_INVENTORY_ITEM
  INVALID_LEDGER_DOCUMENT
  INVALID_LOCATION
  INVALID_QUANTITY_DOCUMENT
  INVALID_QUANTITY_NAME
  INVALID_QUANTITY_TOO_HIGH
  INVALID_QUANTITY_TOO_LOW
  INVALID_REASON
  INVALID_REFERENCE_DOCUMENT
  ITEM_NOT_STOCKED_AT_LOCATION
  MAX_ONE_LEDGER_DOCUMENT
  NON_MUTABLE_INVENTORY_ITEM
}

type InventoryAdjustQuantitiesUserError {
  code: InventoryAdjustQuantitiesUserErrorCode
  field: [String!]
  message: String!
}

type InventoryAdjustQuantitiesPayload {
  inventoryAdjustmentGroup: InventoryAdjustmentGroup
  userErrors: [InventoryAdjustQuantitiesUserError!]!
}

enum WebhookSubscriptionTopic {
  ${WEBHOOK_TOPIC_NAMES.map(subscriptionTopic).join('\n  ')}
}

enum WebhookSubscriptionFormat { JSON XML }

type ApiVersion {
  handle: String!
  displayName: String!
  supported: Boolean!
}

type WebhookHttpEndpoint {
  callbackUrl: URL!
}

union WebhookSubscriptionEndpoint = WebhookHttpEndpoint

type WebhookSubscription implements Node {
  id: ID!
  legacyResourceId: UnsignedInt64!
  topic: WebhookSubscriptionTopic!
  uri: String!
  callbackUrl: URL! @deprecated(reason: "Use uri instead.")
  endpoint: WebhookSubscriptionEndpoint!
  format: WebhookSubscriptionFormat!
  includeFields: [String!]!
  filter: String
  apiVersion: ApiVersion!
  createdAt: DateTime!
  updatedAt: DateTime!
}

${connection('WebhookSubscription')}

input WebhookSubscriptionInput {
  uri: String
  callbackUrl: URL
  format: WebhookSubscriptionFormat
  includeFields: [String!]
  filter: String
}

type UserError {
  field: [String!]
  message: String!
}

type WebhookSubscriptionCreatePayload {
  webhookSubscription: WebhookSubscription
  userErrors: [UserError!]!
}

type WebhookSubscriptionDeletePayload {
  deletedWebhookSubscriptionId: ID
  userErrors: [UserError!]!
}

enum BulkOperationStatus { CREATED RUNNING COMPLETED FAILED CANCELING CANCELED EXPIRED }
enum BulkOperationType { QUERY MUTATION }
enum BulkOperationErrorCode { ACCESS_DENIED INTERNAL_SERVER_ERROR TIMEOUT }
enum BulkOperationUserErrorCode { INVALID LIMIT_REACHED OPERATION_IN_PROGRESS }

type BulkOperation implements Node {
  id: ID!
  type: BulkOperationType!
  status: BulkOperationStatus!
  errorCode: BulkOperationErrorCode
  createdAt: DateTime!
  completedAt: DateTime
  objectCount: UnsignedInt64!
  rootObjectCount: UnsignedInt64!
  fileSize: UnsignedInt64
  url: URL
  partialDataUrl: URL
  query: String!
}

type BulkOperationUserError {
  code: BulkOperationUserErrorCode
  field: [String!]
  message: String!
}

type BulkOperationRunQueryPayload {
  bulkOperation: BulkOperation
  userErrors: [BulkOperationUserError!]!
}

type BulkOperationCancelPayload {
  bulkOperation: BulkOperation
  userErrors: [UserError!]!
}

enum PriceListAdjustmentType { PERCENTAGE_DECREASE PERCENTAGE_INCREASE }
enum PriceListPriceOriginType { FIXED RELATIVE }
enum QuantityRuleOriginType { FIXED RELATIVE }
enum CatalogStatus { ACTIVE ARCHIVED DRAFT }
enum CatalogType { NONE APP COMPANY_LOCATION MARKET }

type PriceListAdjustment {
  type: PriceListAdjustmentType!
  value: Float!
}

type PriceListParent {
  adjustment: PriceListAdjustment!
}

type QuantityPriceBreak implements Node {
  id: ID!
  minimumQuantity: Int!
  price: MoneyV2!
  variant: ProductVariant!
  priceList: PriceList!
}

${connection('QuantityPriceBreak')}

type PriceListPrice {
  variant: ProductVariant!
  price: MoneyV2!
  compareAtPrice: MoneyV2
  originType: PriceListPriceOriginType!
  quantityPriceBreaks(${connectionArgs}): QuantityPriceBreakConnection!
}

${connection('PriceListPrice')}

type QuantityRule {
  minimum: Int!
  maximum: Int
  increment: Int!
  isDefault: Boolean!
  originType: QuantityRuleOriginType!
  productVariant: ProductVariant!
}

${connection('QuantityRule')}

type PriceList implements Node {
  id: ID!
  name: String!
  currency: CurrencyCode!
  fixedPricesCount: Int!
  parent: PriceListParent
  catalog: Catalog
  prices(${connectionArgs}, originType: PriceListPriceOriginType, query: String): PriceListPriceConnection!
  quantityRules(${connectionArgs}, originType: QuantityRuleOriginType): QuantityRuleConnection!
}

${connection('PriceList')}

interface Catalog {
  id: ID!
  title: String!
  status: CatalogStatus!
  priceList: PriceList
}

type CompanyLocationCatalog implements Catalog & Node {
  id: ID!
  title: String!
  status: CatalogStatus!
  priceList: PriceList
  companyLocations(${connectionArgs}): CompanyLocationConnection!
  companyLocationsCount: Count
}

${connection('Catalog')}

type Company implements Node {
  id: ID!
  name: String!
  externalId: String
  createdAt: DateTime!
  updatedAt: DateTime!
  locations(${connectionArgs}): CompanyLocationConnection!
  locationsCount: Count
}

${connection('Company')}

type CompanyLocation implements Node {
  id: ID!
  name: String!
  externalId: String
  currency: CurrencyCode!
  company: Company!
  createdAt: DateTime!
  updatedAt: DateTime!
  catalogs(${connectionArgs}): CatalogConnection!
  catalogsCount: Count
}

${connection('CompanyLocation')}

type QueryRoot {
  node(id: ID!): Node
  nodes(ids: [ID!]!): [Node]!
  shop: Shop!
  product(id: ID!): Product
  products(${connectionArgs}, query: String, sortKey: ProductSortKeys = ID): ProductConnection!
  productVariant(id: ID!): ProductVariant
  productVariants(${connectionArgs}, query: String, sortKey: ProductVariantSortKeys = ID): ProductVariantConnection!
  inventoryItem(id: ID!): InventoryItem
  inventoryItems(${connectionArgs}, query: String): InventoryItemConnection!
  inventoryLevel(id: ID!): InventoryLevel
  location(id: ID): Location
  locations(${connectionArgs}, query: String, includeInactive: Boolean = false, includeLegacy: Boolean = false): LocationConnection!
  webhookSubscription(id: ID!): WebhookSubscription
  webhookSubscriptions(${connectionArgs}, topics: [WebhookSubscriptionTopic!], uri: String, format: WebhookSubscriptionFormat): WebhookSubscriptionConnection!
  bulkOperation(id: ID!): BulkOperation
  currentBulkOperation(type: BulkOperationType = QUERY): BulkOperation
  priceList(id: ID!): PriceList
  priceLists(${connectionArgs}): PriceListConnection!
  catalog(id: ID!): Catalog
  catalogs(${connectionArgs}, query: String, type: CatalogType): CatalogConnection!
  company(id: ID!): Company
  companies(${connectionArgs}, query: String): CompanyConnection!
  companyLocation(id: ID!): CompanyLocation
  companyLocations(${connectionArgs}, query: String): CompanyLocationConnection!
}

type Mutation {
  inventorySetQuantities(input: InventorySetQuantitiesInput!): InventorySetQuantitiesPayload
  inventoryAdjustQuantities(input: InventoryAdjustQuantitiesInput!): InventoryAdjustQuantitiesPayload
  webhookSubscriptionCreate(topic: WebhookSubscriptionTopic!, webhookSubscription: WebhookSubscriptionInput!): WebhookSubscriptionCreatePayload
  webhookSubscriptionDelete(id: ID!): WebhookSubscriptionDeletePayload
  bulkOperationRunQuery(query: String!, groupObjects: Boolean! = false): BulkOperationRunQueryPayload
  bulkOperationCancel(id: ID!): BulkOperationCancelPayload
}

schema {
  query: QueryRoot
  mutation: Mutation
}
`;
