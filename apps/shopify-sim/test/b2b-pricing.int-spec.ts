import { waitFor } from '@understudy/testing';
import { type RunningSimulator, startReceiver, SUBSCRIBE, useSimulator } from './harness';

interface Pricing {
  price: { amount: string; currencyCode: string };
  compareAtPrice: { amount: string } | null;
  quantityPriceBreaks: { nodes: Array<{ minimumQuantity: number; price: { amount: string } }> };
  quantityRule: { minimum: number; maximum: number | null; increment: number; isDefault: boolean };
}

const CONTEXTUAL = `query($id: ID!, $location: ID) {
  productVariant(id: $id) {
    price
    contextualPricing(context: { companyLocationId: $location }) {
      price { amount currencyCode }
      compareAtPrice { amount }
      quantityPriceBreaks(first: 10) { nodes { minimumQuantity price { amount } } }
      quantityRule { minimum maximum increment isDefault }
    }
  }
}`;

describe('B2B pricing in the simulator', () => {
  let sim: RunningSimulator;
  useSimulator((running) => (sim = running));
  const shop = () => sim.simulator.store.get()!;
  const variantGid = (index: number) => `gid://shopify/ProductVariant/${shop().variants[index]!.id}`;
  const locationGid = (index: number) => `gid://shopify/CompanyLocation/${shop().companyLocations[index]!.id}`;
  const pricing = async (variant: number, location?: number) => {
    const response = await sim.graphql<{ productVariant: { price: string; contextualPricing: Pricing } }>(CONTEXTUAL, {
      id: variantGid(variant),
      location: location === undefined ? null : locationGid(location),
    });
    expect(response.body.errors).toBeUndefined();
    return response.body.data!.productVariant;
  };
  const mutate = async <T>(query: string, variables: Record<string, unknown>) => {
    const response = await sim.graphql<T>(query, variables);
    expect(response.body.errors).toBeUndefined();
    return response.body.data!;
  };

  it('seeds locations with one to several catalogs, DRAFT and ARCHIVED ones, in several currencies', () => {
    const locations = shop().companyLocations;
    expect(locations[0]!.catalogIndexes).toHaveLength(1);
    expect(locations.some((l) => l.catalogIndexes.filter((i) => shop().catalogs[i]!.status === 'ACTIVE').length >= 2)).toBe(true);
    expect(new Set(shop().catalogs.map((c) => c.status))).toEqual(new Set(['ACTIVE', 'DRAFT', 'ARCHIVED']));
    expect(new Set(shop().priceLists.map((p) => p.currency)).size).toBeGreaterThanOrEqual(3);
    for (const location of locations) {
      for (const index of location.catalogIndexes) {
        const list = shop().catalogs[index]!.priceListIndex;
        if (list !== null) expect(shop().priceLists[list]!.currency).toBe(location.currency);
      }
    }
  });

  it("answers contextualPricing in Shopify's shape: the variant's own price without a buyer, the list's with one", async () => {
    const retail = await pricing(1);
    expect(retail.contextualPricing).toMatchObject({ price: { amount: retail.price, currencyCode: 'USD' }, quantityPriceBreaks: { nodes: [] }, quantityRule: { minimum: 1, maximum: null, increment: 1, isDefault: true } });
    // Location 0 buys through "Wholesale tier 1" alone: 10 % off, a fixed price on every 20th variant, breaks on every 40th.
    const adjusted = await pricing(1, 0);
    const cents = Math.round(Number(adjusted.price) * 100);
    const expected = Math.floor((cents * 9 * 2 + 10) / 20); // × 0.9, half-up to the cent
    expect(adjusted.contextualPricing.price.amount).toBe(`${Math.floor(expected / 100)}.${String(expected % 100).padStart(2, '0')}`);
    const fixed = await pricing(0, 0);
    expect(fixed.contextualPricing.quantityPriceBreaks.nodes.map((b) => b.minimumQuantity)).toEqual([10, 50]);
    expect(fixed.contextualPricing.quantityRule).toMatchObject({ minimum: 5, increment: 5, isDefault: false });
    const unknown = await sim.graphql(CONTEXTUAL, { id: variantGid(0), location: 'gid://shopify/CompanyLocation/1' });
    expect(JSON.stringify(unknown.body.errors)).toContain('Company location not found');
  });

  it('changes prices through the merchant mutations; only the base price raises a webhook', async () => {
    const receiver = await startReceiver();
    try {
      await mutate(SUBSCRIBE, { topic: 'PRODUCTS_UPDATE', uri: receiver.url });
      const variant = shop().variants[1]!;
      const product = shop().products[variant.productIndex]!;
      const updated = await mutate<{ productVariantsBulkUpdate: { productVariants: Array<{ price: string }>; userErrors: unknown[] } }>(
        `mutation($product: ID!, $variants: [ProductVariantsBulkInput!]!) { productVariantsBulkUpdate(productId: $product, variants: $variants) { productVariants { price } userErrors { code field message } } }`,
        { product: `gid://shopify/Product/${product.id}`, variants: [{ id: variantGid(1), price: '42.10' }] },
      );
      expect(updated.productVariantsBulkUpdate).toEqual({ productVariants: [{ price: '42.10' }], userErrors: [] });
      await waitFor(() => receiver.received.some((w) => (w.body['variants'] as Array<{ id: number; price: string }>).some((v) => v.id === variant.id && v.price === '42.10')), {
        what: 'products/update with the new price',
      });
      expect((await pricing(1, 0)).contextualPricing.price.amount).toBe('37.89'); // 42.10 × 0.9 = 37.89

      const listId = `gid://shopify/PriceList/${shop().priceLists[0]!.id}`;
      const listUpdate = await mutate<{ priceListUpdate: { priceList: { parent: { adjustment: { value: number }; settings: { compareAtMode: string } } }; userErrors: unknown[] } }>(
        `mutation($id: ID!, $input: PriceListUpdateInput!) { priceListUpdate(id: $id, input: $input) { priceList { parent { adjustment { value } settings { compareAtMode } } } userErrors { code message } } }`,
        { id: listId, input: { parent: { adjustment: { type: 'PERCENTAGE_DECREASE', value: 25 }, settings: { compareAtMode: 'NULLIFY' } } } },
      );
      expect(listUpdate.priceListUpdate).toEqual({ priceList: { parent: { adjustment: { value: 25 }, settings: { compareAtMode: 'NULLIFY' } } }, userErrors: [] });
      expect((await pricing(1, 0)).contextualPricing).toMatchObject({ price: { amount: '31.58' }, compareAtPrice: null }); // 31.575 half-up

      const added = await mutate<{ priceListFixedPricesAdd: { prices: Array<{ price: { amount: string }; originType: string }>; userErrors: unknown[] } }>(
        `mutation($id: ID!, $prices: [PriceListPriceInput!]!) { priceListFixedPricesAdd(priceListId: $id, prices: $prices) { prices { price { amount } originType } userErrors { code message } } }`,
        { id: listId, prices: [{ variantId: variantGid(1), price: { amount: '30.00', currencyCode: 'USD' } }] },
      );
      expect(added.priceListFixedPricesAdd).toEqual({ prices: [{ price: { amount: '30.00' }, originType: 'FIXED' }], userErrors: [] });

      const quantity = await mutate<{ quantityPricingByVariantUpdate: { userErrors: unknown[] } }>(
        `mutation($id: ID!, $input: QuantityPricingByVariantUpdateInput!) { quantityPricingByVariantUpdate(priceListId: $id, input: $input) { productVariants { id } userErrors { code field message } } }`,
        {
          id: listId,
          input: {
            pricesToAdd: [],
            pricesToDeleteByVariantId: [],
            quantityPriceBreaksToAdd: [{ variantId: variantGid(1), minimumQuantity: 12, price: { amount: '27.50', currencyCode: 'USD' } }],
            quantityPriceBreaksToDelete: [],
            quantityRulesToAdd: [{ variantId: variantGid(1), minimum: 3, maximum: 300, increment: 3 }],
            quantityRulesToDeleteByVariantId: [],
          },
        },
      );
      expect(quantity.quantityPricingByVariantUpdate.userErrors).toEqual([]);
      expect((await pricing(1, 0)).contextualPricing).toMatchObject({
        price: { amount: '30.00' },
        quantityPriceBreaks: { nodes: [{ minimumQuantity: 12, price: { amount: '27.50' } }] },
        quantityRule: { minimum: 3, maximum: 300, increment: 3, isDefault: false },
      });

      const catalogId = `gid://shopify/CompanyLocationCatalog/${shop().catalogs[0]!.id}`;
      const drafted = await mutate<{ catalogUpdate: { catalog: { status: string }; userErrors: unknown[] } }>(
        `mutation($id: ID!) { catalogUpdate(id: $id, input: { status: DRAFT }) { catalog { status } userErrors { code message } } }`,
        { id: catalogId },
      );
      expect(drafted.catalogUpdate).toEqual({ catalog: { status: 'DRAFT' }, userErrors: [] });
      expect((await pricing(1, 0)).contextualPricing.price.amount).toBe('42.10');

      const before = receiver.received.length;
      await sim.control('POST', '/_sim/webhooks/drain', { timeoutMs: 10_000 });
      expect(receiver.received.length).toBe(before); // none of the B2B changes raised a webhook
    } finally {
      await receiver.close();
    }
  });

  it('refuses bad pricing input with userErrors and changes nothing', async () => {
    const listId = `gid://shopify/PriceList/${shop().priceLists[1]!.id}`; // CAD
    const wrongCurrency = await mutate<{ priceListFixedPricesAdd: { prices: null; userErrors: Array<{ code: string }> } }>(
      `mutation($id: ID!, $prices: [PriceListPriceInput!]!) { priceListFixedPricesAdd(priceListId: $id, prices: $prices) { prices { originType } userErrors { code } } }`,
      { id: listId, prices: [{ variantId: variantGid(2), price: { amount: '1.00', currencyCode: 'USD' } }] },
    );
    expect(wrongCurrency.priceListFixedPricesAdd).toEqual({ prices: null, userErrors: [{ code: 'PRICES_TO_ADD_CURRENCY_MISMATCH' }] });
    const badRule = await mutate<{ quantityPricingByVariantUpdate: { userErrors: Array<{ code: string }> } }>(
      `mutation($id: ID!, $input: QuantityPricingByVariantUpdateInput!) { quantityPricingByVariantUpdate(priceListId: $id, input: $input) { userErrors { code } } }`,
      {
        id: listId,
        input: {
          pricesToAdd: [],
          pricesToDeleteByVariantId: [],
          quantityPriceBreaksToAdd: [{ variantId: variantGid(2), minimumQuantity: 5, price: { amount: '1.00', currencyCode: 'CAD' } }],
          quantityPriceBreaksToDelete: [],
          quantityRulesToAdd: [{ variantId: variantGid(2), minimum: 5, increment: 2 }],
          quantityRulesToDeleteByVariantId: [],
        },
      },
    );
    expect(badRule.quantityPricingByVariantUpdate.userErrors.map((e) => e.code)).toEqual(['MINIMUM_NOT_MULTIPLE_OF_INCREMENT', 'QUANTITY_PRICE_BREAK_ADD_PRICE_LIST_PRICE_NOT_FOUND']);
    const tooMuch = await mutate<{ priceListUpdate: { userErrors: Array<{ code: string }> } }>(
      `mutation($id: ID!) { priceListUpdate(id: $id, input: { parent: { adjustment: { type: PERCENTAGE_DECREASE, value: 101 } } }) { userErrors { code } } }`,
      { id: listId },
    );
    expect(tooMuch.priceListUpdate.userErrors).toEqual([{ code: 'INVALID_ADJUSTMENT_MAX_VALUE' }]);
    expect(shop().priceLists[1]!.adjustment.value).toBe(15);
  });

  // Shopify allows two levels of nested connections, so quantity breaks (a third level under prices) are read page by page.
  it('reads price lists with fixed prices and rules, and company locations with catalogs, in one bulk query each', async () => {
    const queries = [
      '{ priceLists { edges { node { id currency parent { adjustment { type value } settings { compareAtMode } } prices(originType: FIXED) { edges { node { variant { id } price { amount } compareAtPrice { amount } } } } quantityRules { edges { node { minimum maximum increment productVariant { id } } } } } } } }',
      '{ companyLocations { edges { node { id currency catalogs { edges { node { id status priceList { id } } } } } } } }',
    ];
    for (const query of queries) {
      const run = await sim.graphql<{ bulkOperationRunQuery: { bulkOperation: { id: string } | null; userErrors: unknown[] } }>(
        `mutation($q: String!) { bulkOperationRunQuery(query: $q) { bulkOperation { id } userErrors { message } } }`,
        { q: query },
      );
      expect(run.body.data!.bulkOperationRunQuery.userErrors).toEqual([]);
      const id = run.body.data!.bulkOperationRunQuery.bulkOperation!.id;
      const done = await waitFor(async () => {
        const status = await sim.graphql<{ bulkOperation: { status: string; url: string | null } }>(`{ bulkOperation(id: "${id}") { status url } }`);
        return status.body.data!.bulkOperation.status === 'COMPLETED' && status.body.data!.bulkOperation;
      }, { what: 'the bulk operation' });
      const lines = (await (await fetch(done.url!)).text()).trim().split('\n').map((line) => JSON.parse(line) as Record<string, unknown>);
      expect(lines.some((line) => line['__parentId'] !== undefined)).toBe(true);
      if (query.includes('priceLists')) {
        expect(lines.filter((line) => 'currency' in line)).toHaveLength(shop().priceLists.length);
        expect(lines.some((line) => 'increment' in line)).toBe(true);
      } else {
        expect(lines.filter((line) => String(line['id']).includes('CompanyLocation/'))).toHaveLength(shop().companyLocations.length);
      }
    }
  });
});
