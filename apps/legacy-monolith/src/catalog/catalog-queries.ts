/**
 * What the legacy monolith reads from the Admin API on every poll. Page sizes
 * keep each query under Shopify's 1,000-point single-query limit.
 */
export const VARIANTS_QUERY = /* GraphQL */ `
  query MonolithVariants($after: String) {
    productVariants(first: 25, after: $after) {
      nodes {
        legacyResourceId
        price
        inventoryItem {
          legacyResourceId
          tracked
          inventoryLevels(first: 10) {
            nodes {
              location { legacyResourceId }
              quantities(names: ["available"]) { quantity }
            }
          }
        }
      }
      pageInfo { hasNextPage endCursor }
    }
  }`;

export interface VariantNode {
  legacyResourceId: string;
  price: string;
  inventoryItem: {
    legacyResourceId: string;
    tracked: boolean;
    inventoryLevels: { nodes: Array<{ location: { legacyResourceId: string }; quantities: Array<{ quantity: number }> }> };
  };
}

export const PRICE_LISTS_QUERY = /* GraphQL */ `
  query MonolithPriceLists($after: String) {
    priceLists(first: 50, after: $after) {
      nodes { id currency parent { adjustment { type value } } }
      pageInfo { hasNextPage endCursor }
    }
  }`;

export interface PriceListNode {
  id: string;
  currency: string;
  parent: { adjustment: { type: 'PERCENTAGE_DECREASE' | 'PERCENTAGE_INCREASE'; value: number } } | null;
}

/** Only fixed prices: relative ones the monolith computes itself, in floating point, as it always has. */
export const FIXED_PRICES_QUERY = /* GraphQL */ `
  query MonolithFixedPrices($id: ID!, $after: String) {
    priceList(id: $id) {
      prices(first: 50, after: $after, originType: FIXED) {
        nodes {
          variant { legacyResourceId }
          price { amount }
          quantityPriceBreaks(first: 5) { nodes { minimumQuantity price { amount } } }
        }
        pageInfo { hasNextPage endCursor }
      }
    }
  }`;

export interface FixedPriceNode {
  variant: { legacyResourceId: string };
  price: { amount: string };
  quantityPriceBreaks: { nodes: Array<{ minimumQuantity: number; price: { amount: string } }> };
}

export const COMPANY_LOCATIONS_QUERY = /* GraphQL */ `
  query MonolithCompanyLocations($after: String) {
    companyLocations(first: 50, after: $after) {
      nodes {
        id
        currency
        catalogs(first: 5) { nodes { ... on CompanyLocationCatalog { status priceList { id } } } }
      }
      pageInfo { hasNextPage endCursor }
    }
  }`;

export interface CompanyLocationNode {
  id: string;
  currency: string;
  catalogs: { nodes: Array<{ status?: string; priceList?: { id: string } | null }> };
}
