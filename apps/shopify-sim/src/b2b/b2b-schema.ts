/**
 * The B2B pricing part of the Admin GraphQL subset, as extensions of the base
 * schema (admin-graphql/schema.graphql.ts): contextual pricing and the
 * mutations a merchant's pricing changes go through. Names are Shopify's
 * (shopify.dev/docs/api/admin-graphql: ProductVariant.contextualPricing,
 * productVariantsBulkUpdate, priceListUpdate, priceListFixedPricesAdd,
 * quantityPricingByVariantUpdate, catalogUpdate, catalogContextUpdate).
 */
const connectionArgs = `first: Int, after: String, last: Int, before: String, reverse: Boolean = false`;

export const B2B_SDL = /* GraphQL */ `
input ContextualPricingContext {
  companyLocationId: ID
  country: String
}

type ProductVariantContextualPricing {
  price: MoneyV2!
  compareAtPrice: MoneyV2
  quantityPriceBreaks(${connectionArgs}): QuantityPriceBreakConnection!
  quantityRule: QuantityRule!
}

extend type ProductVariant {
  contextualPricing(context: ContextualPricingContext!): ProductVariantContextualPricing!
}

enum PriceListCompareAtMode { ADJUSTED NULLIFY }

type PriceListAdjustmentSettings {
  compareAtMode: PriceListCompareAtMode!
}

extend type PriceListParent {
  settings: PriceListAdjustmentSettings!
}

input MoneyInput {
  amount: Decimal!
  currencyCode: CurrencyCode!
}

input ProductVariantsBulkInput {
  id: ID
  price: Money
  compareAtPrice: Money
}

type ProductVariantsBulkUpdateUserError {
  code: String
  field: [String!]
  message: String!
}

type ProductVariantsBulkUpdatePayload {
  product: Product
  productVariants: [ProductVariant!]
  userErrors: [ProductVariantsBulkUpdateUserError!]!
}

input PriceListAdjustmentInput {
  type: PriceListAdjustmentType!
  value: Float!
}

input PriceListAdjustmentSettingsInput {
  compareAtMode: PriceListCompareAtMode! = ADJUSTED
}

input PriceListParentUpdateInput {
  adjustment: PriceListAdjustmentInput!
  settings: PriceListAdjustmentSettingsInput
}

input PriceListUpdateInput {
  name: String
  parent: PriceListParentUpdateInput
}

type PriceListUserError {
  code: String
  field: [String!]
  message: String!
}

type PriceListUpdatePayload {
  priceList: PriceList
  userErrors: [PriceListUserError!]!
}

input PriceListPriceInput {
  variantId: ID!
  price: MoneyInput!
  compareAtPrice: MoneyInput
}

type PriceListPriceUserError {
  code: String
  field: [String!]
  message: String!
}

type PriceListFixedPricesAddPayload {
  prices: [PriceListPrice!]
  userErrors: [PriceListPriceUserError!]!
}

input QuantityPriceBreakInput {
  variantId: ID!
  minimumQuantity: Int!
  price: MoneyInput!
}

input QuantityRuleInput {
  variantId: ID!
  minimum: Int! = 1
  maximum: Int
  increment: Int! = 1
}

input QuantityPricingByVariantUpdateInput {
  pricesToAdd: [PriceListPriceInput!]!
  pricesToDeleteByVariantId: [ID!]!
  quantityPriceBreaksToAdd: [QuantityPriceBreakInput!]!
  quantityPriceBreaksToDelete: [ID!]!
  quantityPriceBreaksToDeleteByVariantId: [ID!]
  quantityRulesToAdd: [QuantityRuleInput!]!
  quantityRulesToDeleteByVariantId: [ID!]!
}

type QuantityPricingByVariantUserError {
  code: String
  field: [String!]
  message: String!
}

type QuantityPricingByVariantUpdatePayload {
  productVariants: [ProductVariant!]
  userErrors: [QuantityPricingByVariantUserError!]!
}

input CatalogUpdateInput {
  title: String
  status: CatalogStatus
}

input CatalogContextInput {
  companyLocationIds: [ID!]
}

type CatalogUserError {
  code: String
  field: [String!]
  message: String!
}

type CatalogUpdatePayload {
  catalog: Catalog
  userErrors: [CatalogUserError!]!
}

type CatalogContextUpdatePayload {
  catalog: Catalog
  userErrors: [CatalogUserError!]!
}

extend type Mutation {
  productVariantsBulkUpdate(productId: ID!, variants: [ProductVariantsBulkInput!]!, allowPartialUpdates: Boolean = false): ProductVariantsBulkUpdatePayload
  priceListUpdate(id: ID!, input: PriceListUpdateInput!): PriceListUpdatePayload
  priceListFixedPricesAdd(priceListId: ID!, prices: [PriceListPriceInput!]!): PriceListFixedPricesAddPayload
  quantityPricingByVariantUpdate(priceListId: ID!, input: QuantityPricingByVariantUpdateInput!): QuantityPricingByVariantUpdatePayload
  catalogUpdate(id: ID!, input: CatalogUpdateInput!): CatalogUpdatePayload
  catalogContextUpdate(catalogId: ID!, contextsToAdd: CatalogContextInput, contextsToRemove: CatalogContextInput): CatalogContextUpdatePayload
}
`;
