import { createAdminApiClient } from '@shopify/admin-api-client';
import { type RunningSimulator, SHOP, TOKEN, useSimulator } from './harness';

describe('Admin GraphQL, as Shopify answers it', () => {
  let sim: RunningSimulator;
  useSimulator((running) => (sim = running));

  it('needs a known access token (401) and a supported version (404), with Shopify bodies', async () => {
    const noToken = await sim.graphql('{ shop { name } }', undefined, { token: null });
    expect(noToken.status).toBe(401);
    expect(noToken.body).toEqual({ errors: '[API] Invalid API key or access token (unrecognized login or wrong password)' });
    expect((await sim.graphql('{ shop { name } }', undefined, { token: 'shpat_wrong' })).status).toBe(401);

    const oldVersion = await sim.graphql('{ shop { name } }', undefined, { version: '2019-13' });
    expect(oldVersion.status).toBe(404);
    for (const version of ['2026-01', '2026-04', '2026-07', '2026-10', '2027-01', 'unstable']) {
      expect((await sim.graphql('{ shop { myshopifyDomain } }', undefined, { version })).body.data).toEqual({ shop: { myshopifyDomain: SHOP } });
    }
  });

  it('answers unknown fields and arguments with 200 and graphql-ruby style errors', async () => {
    const response = await sim.graphql('{ shop { name } productVariants(first: 1, colour: "red") { nodes { id weight } } }');
    expect(response.status).toBe(200);
    expect(response.body.data).toBeUndefined();
    expect(response.body.errors).toEqual(
      expect.arrayContaining([
        expect.objectContaining({
          message: "Field 'productVariants' doesn't accept argument 'colour'",
          extensions: expect.objectContaining({ code: 'argumentNotAccepted' }),
        }),
        expect.objectContaining({
          message: "Field 'weight' doesn't exist on type 'ProductVariant'",
          extensions: { code: 'undefinedField', typeName: 'ProductVariant', fieldName: 'weight' },
        }),
      ]),
    );
  });

  it('reports requested and actual cost, refunds the difference, and refuses pages over 250 or queries over 1,000 points', async () => {
    const page = await sim.graphql<{ locations: { nodes: unknown[] } }>('{ locations(first: 100) { nodes { id name } } }');
    // 2 + 100 × 1 requested; only 3 locations exist, so 2 + 3 actual.
    expect(page.body.extensions!.cost).toMatchObject({ requestedQueryCost: 102, actualQueryCost: 5 });
    expect(page.body.extensions!.cost.throttleStatus).toEqual({ maximumAvailable: 2000, currentlyAvailable: 1995, restoreRate: 100 });

    const nested = await sim.graphql('{ productVariants(first: 10) { edges { cursor node { id inventoryItem { id } } } pageInfo { hasNextPage } } }');
    expect(nested.body.extensions!.cost).toMatchObject({ requestedQueryCost: 22, actualQueryCost: 22 });

    const mutation = await sim.graphql('mutation { webhookSubscriptionDelete(id: "gid://shopify/WebhookSubscription/1") { deletedWebhookSubscriptionId } }');
    expect(mutation.body.extensions!.cost).toMatchObject({ requestedQueryCost: 10 });

    const tooBig = await sim.graphql('{ productVariants(first: 251) { nodes { id } } }');
    expect(tooBig.body.errors).toEqual([expect.objectContaining({ message: expect.stringMatching(/^first cannot exceed 250\./) })]);

    const unsized = await sim.graphql('{ productVariants { nodes { id } } }');
    expect(unsized.body.errors).toEqual([expect.objectContaining({ message: 'you must provide one of first or last' })]);

    // 2 + 50 × (1 product + 2 + 50 variants) = 2652
    const expensive = await sim.graphql('{ products(first: 50) { nodes { id variants(first: 50) { nodes { id } } } } }');
    expect(expensive.status).toBe(200);
    expect(expensive.body).toEqual({
      errors: [
        expect.objectContaining({
          message: expect.stringContaining('Query cost is 2652, which exceeds the single query max cost limit (1000).'),
          extensions: expect.objectContaining({ code: 'MAX_COST_EXCEEDED', cost: 2652, maxCost: 1000 }),
        }),
      ],
    });
  });

  it('lets @shopify/admin-api-client page through every variant and shows it the real THROTTLED shape', async () => {
    const client = createAdminApiClient({
      storeDomain: SHOP,
      apiVersion: '2026-10',
      accessToken: TOKEN,
      customFetchApi: (url, init) => fetch(String(url).replace(`https://${SHOP}`, sim.url), init),
    });
    await sim.control('PUT', '/_sim/throttle', { restoreRate: 50_000, maximumAvailable: 100_000 });
    const ids = new Set<string>();
    let after: string | null = null;
    for (;;) {
      const response: { data?: { productVariants: { edges: Array<{ cursor: string; node: { id: string } }>; pageInfo: { hasNextPage: boolean; endCursor: string } } } } =
        await client.request(
          `query Page($after: String) { productVariants(first: 250, after: $after) { edges { cursor node { id } } pageInfo { hasNextPage endCursor } } }`,
          { variables: { after } },
        );
      for (const edge of response.data!.productVariants.edges) ids.add(edge.node.id);
      if (!response.data!.productVariants.pageInfo.hasNextPage) break;
      after = response.data!.productVariants.pageInfo.endCursor;
    }
    expect(ids.size).toBe(2000);

    await sim.control('PUT', '/_sim/throttle', { plan: 'standard', currentlyAvailable: 0 });
    const throttled = await client.request('{ productVariants(first: 100) { nodes { id } } }');
    expect(throttled.data).toBeUndefined();
    expect(throttled.errors?.networkStatusCode).toBe(200);
    expect(throttled.errors?.graphQLErrors).toEqual([
      { message: 'Throttled', extensions: { code: 'THROTTLED', documentation: 'https://shopify.dev/api/usage/rate-limits' } },
    ]);
    // The bucket refills at 100 points/s from 0, so on a busy machine a few points may be back by the time
    // the query lands: what makes it THROTTLED is that fewer than the requested 102 are available.
    expect(throttled.extensions).toEqual({
      cost: { requestedQueryCost: 102, actualQueryCost: null, throttleStatus: { maximumAvailable: 2000, currentlyAvailable: expect.any(Number), restoreRate: 100 } },
    });
    expect((throttled.extensions as { cost: { throttleStatus: { currentlyAvailable: number } } }).cost.throttleStatus.currentlyAvailable).toBeLessThan(102);
  });

  it('resolves node(id:) and nodes(ids:) for every type, and reads quantities by name', async () => {
    const shop = sim.simulator.store.get()!;
    const item = shop.variants[5]!.item;
    const location = shop.locations[0]!;
    const levelId = `gid://shopify/InventoryLevel/${location.id}?inventory_item_id=${item.id}`;
    const response = await sim.graphql<{
      node: { id: string; quantities: Array<{ name: string; quantity: number }> };
      nodes: Array<{ __typename: string } | null>;
    }>(
      `query($level: ID!, $ids: [ID!]!) {
        node(id: $level) { id ... on InventoryLevel { quantities(names: ["available", "on_hand", "committed", "reserved", "damaged", "safety_stock", "quality_control", "incoming", "unavailable"]) { name quantity } } }
        nodes(ids: $ids) { __typename id }
      }`,
      { level: levelId, ids: [`gid://shopify/ProductVariant/${shop.variants[0]!.id}`, `gid://shopify/InventoryItem/${item.id}`, 'gid://shopify/Product/1'] },
    );
    const quantities = Object.fromEntries(response.body.data!.node.quantities.map((q) => [q.name, q.quantity]));
    expect(quantities['on_hand']).toBe(
      quantities['available']! + quantities['committed']! + quantities['reserved']! + quantities['damaged']! + quantities['safety_stock']! + quantities['quality_control']!,
    );
    expect(quantities['unavailable']).toBe(quantities['reserved']! + quantities['damaged']! + quantities['safety_stock']! + quantities['quality_control']!);
    expect(response.body.data!.nodes.map((n) => n?.__typename ?? null)).toEqual(['ProductVariant', 'InventoryItem', null]);
  });

  it('applies inventorySetQuantities with changeFromQuantity compare-and-swap and @idempotent replays', async () => {
    const shop = sim.simulator.store.get()!;
    const variant = shop.variants.find((v) => v.item.tracked)!;
    const location = shop.locations[0]!;
    const current = shop.quantity(variant.index, 0, 'available');
    const SET = `mutation Set($input: InventorySetQuantitiesInput!, $key: String!) {
      inventorySetQuantities(input: $input) @idempotent(key: $key) {
        inventoryAdjustmentGroup { reason changes { name delta quantityAfterChange } }
        userErrors { code field message }
      }
    }`;
    const input = (changeFromQuantity: number | null, quantity: number) => ({
      name: 'available',
      reason: 'correction',
      referenceDocumentUri: 'gid://understudy/Test/1',
      quantities: [{ inventoryItemId: `gid://shopify/InventoryItem/${variant.item.id}`, locationId: `gid://shopify/Location/${location.id}`, quantity, changeFromQuantity }],
    });

    const stale = await sim.graphql<{ inventorySetQuantities: { userErrors: unknown[] } }>(SET, { input: input(current + 1, 7), key: 'k-stale' });
    expect(stale.body.data!.inventorySetQuantities.userErrors).toEqual([
      expect.objectContaining({ code: 'CHANGE_FROM_QUANTITY_STALE', field: ['input', 'quantities', '0', 'changeFromQuantity'] }),
    ]);
    expect(shop.quantity(variant.index, 0, 'available')).toBe(current);

    const applied = await sim.graphql<{ inventorySetQuantities: { inventoryAdjustmentGroup: { changes: unknown[] }; userErrors: unknown[] } }>(SET, {
      input: input(current, 7),
      key: 'k-1',
    });
    expect(applied.body.data!.inventorySetQuantities.userErrors).toEqual([]);
    expect(applied.body.data!.inventorySetQuantities.inventoryAdjustmentGroup.changes).toEqual(
      expect.arrayContaining([{ name: 'available', delta: 7 - current, quantityAfterChange: 7 }]),
    );
    // Same key, same input: the stored answer, no second change (even though changeFromQuantity is now stale).
    const replay = await sim.graphql(SET, { input: input(current, 7), key: 'k-1' });
    expect(replay.body.data).toEqual(applied.body.data);
    const mismatch = await sim.graphql<{ inventorySetQuantities: { userErrors: unknown[] } }>(SET, { input: input(7, 9), key: 'k-1' });
    expect(mismatch.body.data!.inventorySetQuantities.userErrors).toEqual([expect.objectContaining({ code: 'IDEMPOTENCY_KEY_PARAMETER_MISMATCH' })]);
    expect(shop.quantity(variant.index, 0, 'available')).toBe(7);

    const noKey = await sim.graphql(
      `mutation($input: InventorySetQuantitiesInput!) { inventorySetQuantities(input: $input) { userErrors { code } } }`,
      { input: input(null, 3) },
    );
    expect(noKey.body.errors).toEqual([expect.objectContaining({ message: expect.stringContaining('@idempotent directive is required') })]);
    const noChangeFrom = await sim.graphql(SET, { input: { ...input(null, 3), quantities: [{ ...input(null, 3).quantities[0], changeFromQuantity: undefined }] }, key: 'k-2' });
    expect(noChangeFrom.body.errors).toEqual([expect.objectContaining({ message: expect.stringContaining('changeFromQuantity must be provided') })]);

    // 2026-01 still speaks compareQuantity / ignoreCompareQuantity, and the key is optional.
    const legacy = await sim.graphql<{ inventorySetQuantities: { userErrors: Array<{ code: string }> } }>(
      `mutation($input: InventorySetQuantitiesInput!) { inventorySetQuantities(input: $input) { userErrors { code } } }`,
      { input: { ...input(null, 3), quantities: [{ ...input(null, 3).quantities[0], changeFromQuantity: undefined, compareQuantity: 6 }] } },
      { version: '2026-01' },
    );
    expect(legacy.body.data!.inventorySetQuantities.userErrors.map((e) => e.code)).toEqual(['COMPARE_QUANTITY_STALE']);
  });

  it('adjusts quantities with Shopify user errors for unknown items, bad names and reasons', async () => {
    const shop = sim.simulator.store.get()!;
    const variant = shop.variants.find((v) => v.item.tracked)!;
    const ADJUST = `mutation($input: InventoryAdjustQuantitiesInput!) {
      inventoryAdjustQuantities(input: $input) @idempotent(key: "${crypto.randomUUID()}") {
        inventoryAdjustmentGroup { changes { name delta quantityAfterChange } }
        userErrors { code field }
      }
    }`;
    const before = shop.quantity(variant.index, 0, 'available');
    const ok = await sim.graphql<{ inventoryAdjustQuantities: { inventoryAdjustmentGroup: { changes: unknown[] } } }>(ADJUST, {
      input: {
        name: 'available',
        reason: 'received',
        changes: [{ delta: 5, inventoryItemId: `gid://shopify/InventoryItem/${variant.item.id}`, locationId: `gid://shopify/Location/${shop.locations[0]!.id}`, changeFromQuantity: before }],
      },
    });
    expect(ok.body.data!.inventoryAdjustQuantities.inventoryAdjustmentGroup.changes).toEqual(
      expect.arrayContaining([{ name: 'available', delta: 5, quantityAfterChange: before + 5 }]),
    );
    const bad = await sim.graphql<{ inventoryAdjustQuantities: { userErrors: Array<{ code: string }> } }>(ADJUST.replace(/key: "[^"]+"/, 'key: "other"'), {
      input: {
        name: 'sold',
        reason: 'because',
        changes: [{ delta: 1, inventoryItemId: 'gid://shopify/InventoryItem/1', locationId: `gid://shopify/Location/${shop.locations[0]!.id}`, changeFromQuantity: null }],
      },
    });
    expect(bad.body.data!.inventoryAdjustQuantities.userErrors.map((e) => e.code)).toEqual(['INVALID_QUANTITY_NAME', 'INVALID_REASON', 'INVALID_INVENTORY_ITEM']);
  });

  it('serves B2B price lists with fixed prices, quantity price breaks and quantity rules, and companies with catalogs', async () => {
    const response = await sim.graphql<{
      priceLists: { nodes: Array<{ currency: string; parent: { adjustment: { type: string; value: number } }; prices: { nodes: Array<{ originType: string; price: { amount: string }; quantityPriceBreaks: { nodes: Array<{ minimumQuantity: number }> } }> }; quantityRules: { nodes: Array<{ minimum: number; increment: number }> } }> };
      companies: { nodes: Array<{ locations: { nodes: Array<{ catalogs: { nodes: Array<{ priceList: { id: string } }> } }> } }> };
    }>(`{
      priceLists(first: 5) { nodes { id currency parent { adjustment { type value } }
        prices(first: 3, originType: FIXED) { nodes { originType price { amount currencyCode } quantityPriceBreaks(first: 5) { nodes { minimumQuantity price { amount } } } } }
        quantityRules(first: 2) { nodes { minimum maximum increment productVariant { id } } } } }
      companies(first: 2) { nodes { name locations(first: 3) { nodes { name currency catalogs(first: 2) { nodes { title priceList { id } } } } } } }
    }`);
    const priceList = response.body.data!.priceLists.nodes[0]!;
    expect(priceList.parent.adjustment).toEqual({ type: 'PERCENTAGE_DECREASE', value: 10 });
    expect(priceList.prices.nodes.every((p) => p.originType === 'FIXED')).toBe(true);
    expect(priceList.prices.nodes[0]!.quantityPriceBreaks.nodes.map((b) => b.minimumQuantity)).toEqual([10, 50]);
    expect(priceList.quantityRules.nodes[0]).toMatchObject({ minimum: 5, increment: 5 });
    expect(response.body.data!.companies.nodes[0]!.locations.nodes[0]!.catalogs.nodes[0]!.priceList.id).toMatch(/^gid:\/\/shopify\/PriceList\//);
  });

  it('seeds deterministically: 100k variants, the same seed giving the same data', async () => {
    const seed = { shop: 'seed-check.myshopify.com', variants: 100_000, locations: 3, companies: 5, seed: 9, accessTokens: ['shpat_seed_check'] };
    const first = await sim.control<{ variants: number; durationMs: number }>('POST', '/_sim/seed', seed);
    expect(first.status).toBe(201);
    expect(first.body.variants).toBe(100_000);
    expect(first.body.durationMs).toEqual(expect.any(Number));
    const dump = async () => (await fetch(`${sim.url}/_sim/truth/inventory?shop=seed-check.myshopify.com`)).text().then((text) => text.trim().split('\n'));
    const a = await dump();
    await sim.control('POST', '/_sim/seed', seed);
    const seededBy = Date.now();
    const b = await dump();
    // The same seed gives the same shop; only the timestamps move, to just before each seeding (a
    // re-seeded shop is newer than anything the last one sent). Compared by digest and first
    // difference: a jest diff of 300k lines would take longer than the suite.
    const withoutTime = (lines: string[]) => lines.map((line) => JSON.stringify({ ...JSON.parse(line), updated_at: undefined }));
    const [sameA, sameB] = [withoutTime(a), withoutTime(b)];
    const firstDifference = sameA.findIndex((line, i) => line !== sameB[i]);
    expect({ lines: [a.length, b.length], firstDifference, at: firstDifference < 0 ? null : [sameA[firstDifference], sameB[firstDifference]] }).toEqual({
      lines: [a.length, a.length],
      firstDifference: -1,
      at: null,
    });
    // Every level of the second seeding is newer than the same level of the first, and none is in the future.
    const stamp = (line: string) => Date.parse((JSON.parse(line) as { updated_at: string }).updated_at);
    expect(b.filter((line, i) => !(stamp(line) > stamp(a[i]!) && stamp(line) < seededBy)).length).toBe(0);
    const lines = a;
    expect(lines.length).toBeGreaterThan(100_000);
    expect(JSON.parse(lines[0]!)).toEqual(
      expect.objectContaining({ inventory_item_id: expect.any(Number), location_id: expect.any(Number), available: expect.any(Number), on_hand: expect.any(Number) }),
    );
  });

  it('validates the control API and documents it in OpenAPI', async () => {
    const invalid = await sim.control<{ error: { code: string } }>('PUT', '/_sim/chaos', { dropRate: 2 });
    expect(invalid.status).toBe(400);
    expect(invalid.body.error.code).toBe('VALIDATION_FAILED');
    const openApi = (await sim.control<{ paths: Record<string, unknown> }>('GET', '/openapi.json')).body;
    expect(Object.keys(openApi.paths)).toEqual(expect.arrayContaining(['/_sim/seed', '/_sim/chaos', '/_sim/truth/inventory', '/admin/api/{version}/graphql.json']));
  });
});
