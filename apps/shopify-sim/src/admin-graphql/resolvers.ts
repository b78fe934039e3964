import { subscriptionTopic, toGid, WEBHOOK_TOPIC_NAMES } from '@understudy/shopify';
import {
  buildSchema,
  getDirectiveValues,
  GraphQLError,
  type GraphQLFieldResolver,
  GraphQLInterfaceType,
  GraphQLObjectType,
  type GraphQLResolveInfo,
  type GraphQLSchema,
  GraphQLUnionType,
} from 'graphql';
import {
  adjustQuantities,
  type AdjustmentGroup,
  type AdjustQuantitiesInput,
  type MutationResult,
  requiresChangeFrom,
  setQuantities,
  type SetQuantitiesInput,
} from '../inventory/inventory-mutations';
import {
  ALL_QUANTITY_NAMES,
  type CatalogRecord,
  type CompanyLocationRecord,
  type CompanyRecord,
  type InventoryItemRecord,
  type LevelRef,
  type LocationRecord,
  type PriceListPriceRef,
  type PriceListRecord,
  type ProductRecord,
  type QuantityName,
  type QuantityPriceBreakRecord,
  type QuantityRuleRecord,
  type VariantRecord,
  type WebhookSubscriptionRecord,
  type WebhookTopicEnum,
} from '../store/records';
import type { ShopState } from '../store/shop';
import { inventoryLevelGid, money } from '../webhooks/payloads';
import { arraySpace, lowerBound, paginate, type Space } from './connection';
import type { GraphqlContext } from './context';
import { matcher } from './search';
import { type Args, connectionArgs, gidNumber } from './resolver-helpers';
import { ADMIN_SDL } from './schema.graphql';
import { B2B_RESOLVERS } from '../b2b/b2b-resolvers';
import { B2B_SDL } from '../b2b/b2b-schema';


type Resolver = GraphQLFieldResolver<unknown, GraphqlContext, Args>;

const dateTime = (ms: number | null | undefined) => (ms === null || ms === undefined ? null : new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z'));

function parseLevelGid(value: string): { locationId: number; itemId: number } | undefined {
  const match = /^gid:\/\/shopify\/InventoryLevel\/(\d+)\?inventory_item_id=(\d+)$/.exec(value);
  return match ? { locationId: Number(match[1]), itemId: Number(match[2]) } : undefined;
}

/** Looks a GID up in the shop, whatever its type: backs `node(id:)` and `nodes(ids:)`. */
export function findNode(shop: ShopState, gid: string): unknown {
  const level = parseLevelGid(gid);
  if (level) {
    const item = shop.item(level.itemId);
    const location = shop.location(level.locationId);
    return item && location ? (shop.level(item.index, location.index) ?? null) : null;
  }
  const match = /^gid:\/\/shopify\/(\w+)\/(\d+)$/.exec(gid);
  if (!match) return null;
  const id = Number(match[2]);
  switch (match[1]) {
    case 'Product':
      return shop.product(id) ?? null;
    case 'ProductVariant':
      return shop.variant(id) ?? null;
    case 'InventoryItem':
      return shop.item(id) ?? null;
    case 'Location':
      return shop.location(id) ?? null;
    case 'Company':
      return shop.company(id) ?? null;
    case 'CompanyLocation':
      return shop.companyLocation(id) ?? null;
    case 'CompanyLocationCatalog':
      return shop.catalog(id) ?? null;
    case 'PriceList':
      return shop.priceList(id) ?? null;
    case 'WebhookSubscription':
      return shop.webhookSubscriptions.get(id) ?? null;
    case 'BulkOperation':
      return shop.bulkOperations.get(id) ?? null;
    default:
      return null;
  }
}

// ---- spaces (what each connection pages over) --------------------------------------------------

function itemSpace(shop: ShopState, include?: (item: InventoryItemRecord) => boolean): Space<InventoryItemRecord> {
  const variants = shop.variants;
  return {
    length: variants.length,
    at: (position) => {
      const item = variants[position]?.item;
      return item && (!include || include(item)) ? item : undefined;
    },
    idOf: (item) => item.id,
    positionOf: (id) => lowerBound(variants.length, (i) => variants[i]!.item.id, id),
  };
}

function levelsOfItem(shop: ShopState, itemIndex: number): Space<LevelRef> {
  const locations = shop.locations;
  return {
    length: locations.length,
    at: (position) => shop.level(itemIndex, position),
    idOf: (level) => locations[level.locationIndex]!.id,
    positionOf: (id) => lowerBound(locations.length, (i) => locations[i]!.id, id),
  };
}

function levelsAtLocation(shop: ShopState, locationIndex: number): Space<LevelRef> {
  const variants = shop.variants;
  return {
    length: variants.length,
    at: (position) => shop.level(position, locationIndex),
    idOf: (level) => variants[level.itemIndex]!.item.id,
    positionOf: (id) => lowerBound(variants.length, (i) => variants[i]!.item.id, id),
  };
}

function indexSpace<T extends { id: number }>(indexes: readonly number[], lookup: (index: number) => T): Space<T> {
  return {
    length: indexes.length,
    at: (position) => (position < indexes.length ? lookup(indexes[position]!) : undefined),
    idOf: (item) => item.id,
    positionOf: (id) => lowerBound(indexes.length, (i) => lookup(indexes[i]!).id, id),
  };
}

function priceSpace(shop: ShopState, priceList: PriceListRecord, originType: unknown): Space<PriceListPriceRef> {
  const ref = (variantIndex: number): PriceListPriceRef => ({ __typename: 'PriceListPrice', priceListIndex: priceList.index, variantIndex });
  const indexes = originType === 'FIXED' ? priceList.fixedVariantIndexes : undefined;
  const variants = shop.variants;
  if (indexes) {
    return {
      length: indexes.length,
      at: (position) => (position < indexes.length ? ref(indexes[position]!) : undefined),
      idOf: (price) => variants[price.variantIndex]!.id,
      positionOf: (id) => lowerBound(indexes.length, (i) => variants[indexes[i]!]!.id, id),
    };
  }
  return {
    length: variants.length,
    at: (position) => {
      if (position >= variants.length) return undefined;
      if (originType === 'RELATIVE' && priceList.fixedPrices.has(position)) return undefined;
      return ref(position);
    },
    idOf: (price) => variants[price.variantIndex]!.id,
    positionOf: (id) => lowerBound(variants.length, (i) => variants[i]!.id, id),
  };
}

// ---- mutations helpers -------------------------------------------------------------------------

const idempotencyKey = (info: GraphQLResolveInfo): string | undefined => {
  const directive = info.schema.getDirective('idempotent');
  if (!directive) return undefined;
  const values = getDirectiveValues(directive, info.fieldNodes[0]!, info.variableValues);
  return values?.['key'] as string | undefined;
};

/** Runs an inventory mutation under `@idempotent(key:)`: a replay returns the stored answer and changes nothing. */
function idempotent(info: GraphQLResolveInfo, context: GraphqlContext, args: Args, run: () => MutationResult): unknown {
  const key = idempotencyKey(info);
  if (key === undefined && requiresChangeFrom(context.version)) {
    throw new GraphQLError(`The @idempotent directive is required for ${info.fieldName} as of API version 2026-04.`, {
      extensions: { code: 'IDEMPOTENCY_KEY_REQUIRED' },
    });
  }
  const cacheKey = key === undefined ? undefined : `${context.shop.info.domain}\u0000${info.fieldName}\u0000${key}`;
  const fingerprint = JSON.stringify(args);
  if (cacheKey) {
    const found = context.idempotency.lookup(cacheKey, fingerprint);
    if ('mismatch' in found) {
      return {
        inventoryAdjustmentGroup: null,
        userErrors: [
          { code: 'IDEMPOTENCY_KEY_PARAMETER_MISMATCH', field: null, message: 'The same idempotency key cannot be used with different operation parameters.' },
        ],
      };
    }
    if (found.hit) return found.result;
  }
  const result = run();
  for (const level of result.touched) context.events.inventoryLevelChanged(context.shop, level.itemIndex, level.locationIndex);
  const answer = { inventoryAdjustmentGroup: result.group, userErrors: result.userErrors };
  if (cacheKey) context.idempotency.store(cacheKey, fingerprint, answer);
  return answer;
}

const TOPICS: WebhookTopicEnum[] = WEBHOOK_TOPIC_NAMES.map(subscriptionTopic);

function validWebhookUri(uri: string): boolean {
  try {
    const url = new URL(uri);
    return url.protocol === 'https:' || url.protocol === 'http:';
  } catch {
    return false;
  }
}

// ---- the resolver map --------------------------------------------------------------------------

const count = (value: number) => ({ count: value, precision: 'EXACT' });

const resolvers: Record<string, Record<string, Resolver>> = {
  QueryRoot: {
    node: (_s, args, { shop }) => findNode(shop, args['id'] as string),
    nodes: (_s, args, { shop }) => (args['ids'] as string[]).map((id) => findNode(shop, id)),
    shop: (_s, _a, context) => ({ __typename: 'Shop', shop: context.shop, planName: context.planName }),
    product: (_s, args, { shop }) => {
      const id = gidNumber(args['id'], 'Product');
      return id === undefined ? null : (shop.product(id) ?? null);
    },
    products: (_s, args, context, info) => {
      const include = matcher<ProductRecord>(args['query'] as string, {
        id: (p) => p.id,
        title: (p) => p.title,
        status: (p) => p.status,
        product_type: (p) => p.productType,
        vendor: (p) => p.vendor,
        updated_at: (p) => p.updatedAt,
        created_at: (p) => p.createdAt,
      });
      return paginate(arraySpace(context.shop.products, include), connectionArgs(args, info, context));
    },
    productVariant: (_s, args, { shop }) => {
      const id = gidNumber(args['id'], 'ProductVariant');
      return id === undefined ? null : (shop.variant(id) ?? null);
    },
    productVariants: (_s, args, context, info) => {
      const { shop } = context;
      const include = matcher<VariantRecord>(args['query'] as string, {
        id: (v) => v.id,
        sku: (v) => v.sku,
        barcode: (v) => v.barcode,
        title: (v) => v.title,
        product_id: (v) => shop.products[v.productIndex]!.id,
        inventory_item_id: (v) => v.item.id,
        updated_at: (v) => v.updatedAt,
        created_at: (v) => v.createdAt,
      });
      return paginate(arraySpace(shop.variants, include), connectionArgs(args, info, context));
    },
    inventoryItem: (_s, args, { shop }) => {
      const id = gidNumber(args['id'], 'InventoryItem');
      return id === undefined ? null : (shop.item(id) ?? null);
    },
    inventoryItems: (_s, args, context, info) => {
      const include = matcher<InventoryItemRecord>(args['query'] as string, {
        id: (i) => i.id,
        sku: (i) => i.variant.sku,
        tracked: (i) => i.tracked,
        updated_at: (i) => i.updatedAt,
        created_at: (i) => i.createdAt,
      });
      return paginate(itemSpace(context.shop, include), connectionArgs(args, info, context));
    },
    inventoryLevel: (_s, args, { shop }) => findNode(shop, args['id'] as string),
    location: (_s, args, { shop }) => {
      if (args['id'] === undefined || args['id'] === null) return shop.locations[0] ?? null;
      const id = gidNumber(args['id'], 'Location');
      return id === undefined ? null : (shop.location(id) ?? null);
    },
    locations: (_s, args, context, info) => {
      const include = matcher<LocationRecord>(args['query'] as string, {
        id: (l) => l.id,
        name: (l) => l.name,
        active: (l) => l.isActive,
      });
      return paginate(arraySpace(context.shop.locations, include), connectionArgs(args, info, context));
    },
    webhookSubscription: (_s, args, { shop }) => {
      const id = gidNumber(args['id'], 'WebhookSubscription');
      return id === undefined ? null : (shop.webhookSubscriptions.get(id) ?? null);
    },
    webhookSubscriptions: (_s, args, context, info) => {
      const topics = args['topics'] as string[] | undefined;
      const uri = args['uri'] as string | undefined;
      const subscriptions = [...context.shop.webhookSubscriptions.values()].filter(
        (s) => (!topics || topics.includes(s.topic)) && (!uri || s.uri === uri),
      );
      return paginate(arraySpace(subscriptions), connectionArgs(args, info, context));
    },
    bulkOperation: (_s, args, { shop }) => {
      const id = gidNumber(args['id'], 'BulkOperation');
      return id === undefined ? null : (shop.bulkOperations.get(id) ?? null);
    },
    currentBulkOperation: (_s, args, { shop }) => {
      let latest = null;
      for (const operation of shop.bulkOperations.values()) if (operation.type === (args['type'] ?? 'QUERY')) latest = operation;
      return latest;
    },
    priceList: (_s, args, { shop }) => {
      const id = gidNumber(args['id'], 'PriceList');
      return id === undefined ? null : (shop.priceList(id) ?? null);
    },
    priceLists: (_s, args, context, info) => paginate(arraySpace(context.shop.priceLists), connectionArgs(args, info, context)),
    catalog: (_s, args, { shop }) => {
      const id = gidNumber(args['id'], 'CompanyLocationCatalog');
      return id === undefined ? null : (shop.catalog(id) ?? null);
    },
    catalogs: (_s, args, context, info) => {
      const type = args['type'] as string | undefined;
      const catalogs = type && type !== 'COMPANY_LOCATION' ? [] : context.shop.catalogs;
      const include = matcher<CatalogRecord>(args['query'] as string, { title: (c) => c.title, status: (c) => c.status, id: (c) => c.id });
      return paginate(arraySpace(catalogs, include), connectionArgs(args, info, context));
    },
    company: (_s, args, { shop }) => {
      const id = gidNumber(args['id'], 'Company');
      return id === undefined ? null : (shop.company(id) ?? null);
    },
    companies: (_s, args, context, info) => {
      const include = matcher<CompanyRecord>(args['query'] as string, { name: (c) => c.name, external_id: (c) => c.externalId, id: (c) => c.id });
      return paginate(arraySpace(context.shop.companies, include), connectionArgs(args, info, context));
    },
    companyLocation: (_s, args, { shop }) => {
      const id = gidNumber(args['id'], 'CompanyLocation');
      return id === undefined ? null : (shop.companyLocation(id) ?? null);
    },
    companyLocations: (_s, args, context, info) => {
      const include = matcher<CompanyLocationRecord>(args['query'] as string, {
        name: (c) => c.name,
        external_id: (c) => c.externalId,
        id: (c) => c.id,
        company_id: (c) => context.shop.companies[c.companyIndex]!.id,
      });
      return paginate(arraySpace(context.shop.companyLocations, include), connectionArgs(args, info, context));
    },
  },

  Mutation: {
    inventorySetQuantities: (_s, args, context, info) =>
      idempotent(info, context, args, () => setQuantities(context.shop, args['input'] as SetQuantitiesInput, context.version)),
    inventoryAdjustQuantities: (_s, args, context, info) =>
      idempotent(info, context, args, () => adjustQuantities(context.shop, args['input'] as AdjustQuantitiesInput, context.version)),
    webhookSubscriptionCreate: (_s, args, { shop, version }) => {
      const input = args['webhookSubscription'] as { uri?: string; callbackUrl?: string; format?: string; includeFields?: string[]; filter?: string };
      const uri = input.uri ?? input.callbackUrl;
      if (!uri || !validWebhookUri(uri)) {
        return { webhookSubscription: null, userErrors: [{ field: ['webhookSubscription', 'callbackUrl'], message: 'Address is invalid' }] };
      }
      if (input.format === 'XML') {
        return { webhookSubscription: null, userErrors: [{ field: ['webhookSubscription', 'format'], message: 'Format is not supported by this simulator' }] };
      }
      const topic = args['topic'] as WebhookTopicEnum;
      for (const existing of shop.webhookSubscriptions.values()) {
        if (existing.topic === topic && existing.uri === uri) {
          return {
            webhookSubscription: null,
            userErrors: [{ field: ['webhookSubscription', 'callbackUrl'], message: 'Address for this topic has already been taken' }],
          };
        }
      }
      const now = Date.now();
      const subscription: WebhookSubscriptionRecord = {
        __typename: 'WebhookSubscription',
        id: shop.newId(1_500_000_000),
        topic,
        uri,
        format: 'JSON',
        includeFields: input.includeFields ?? [],
        filter: input.filter ?? null,
        apiVersion: version,
        createdAt: now,
        updatedAt: now,
      };
      shop.webhookSubscriptions.set(subscription.id, subscription);
      return { webhookSubscription: subscription, userErrors: [] };
    },
    webhookSubscriptionDelete: (_s, args, { shop }) => {
      const id = gidNumber(args['id'], 'WebhookSubscription');
      if (id === undefined || !shop.webhookSubscriptions.delete(id)) {
        return { deletedWebhookSubscriptionId: null, userErrors: [{ field: ['id'], message: 'Webhook subscription does not exist' }] };
      }
      return { deletedWebhookSubscriptionId: toGid('WebhookSubscription', id), userErrors: [] };
    },
    bulkOperationRunQuery: (_s, args, context) => {
      const { operation, userErrors } = context.bulkOperations.run(context.shop, args['query'] as string, {
        origin: context.origin,
        version: context.version,
        groupObjects: args['groupObjects'] === true,
      });
      return { bulkOperation: operation, userErrors };
    },
    bulkOperationCancel: (_s, args, context) => {
      const id = gidNumber(args['id'], 'BulkOperation');
      if (id === undefined) return { bulkOperation: null, userErrors: [{ field: ['id'], message: 'Bulk operation does not exist' }] };
      const { operation, userErrors } = context.bulkOperations.cancel(context.shop, id);
      return { bulkOperation: operation, userErrors };
    },
  },

  Shop: {
    id: () => toGid('Shop', 1),
    name: (s) => (s as { shop: ShopState }).shop.info.name,
    myshopifyDomain: (s) => (s as { shop: ShopState }).shop.info.domain,
    currencyCode: (s) => (s as { shop: ShopState }).shop.info.currencyCode,
    ianaTimezone: (s) => (s as { shop: ShopState }).shop.info.ianaTimezone,
    plan: (s) => {
      const planName = (s as { planName: string }).planName;
      return { displayName: planName === 'plus' ? 'Shopify Plus' : planName === 'advanced' ? 'Advanced' : 'Basic', shopifyPlus: planName === 'plus' };
    },
  },

  Product: {
    id: (p) => toGid('Product', (p as ProductRecord).id),
    legacyResourceId: (p) => String((p as ProductRecord).id),
    createdAt: (p) => dateTime((p as ProductRecord).createdAt),
    updatedAt: (p) => dateTime((p as ProductRecord).updatedAt),
    totalInventory: (p, _a, { shop }) => (p as ProductRecord).variantIndexes.reduce((sum, index) => sum + shop.totalAvailable(index), 0),
    tracksInventory: (p, _a, { shop }) => (p as ProductRecord).variantIndexes.some((index) => shop.variants[index]!.item.tracked),
    variantsCount: (p) => count((p as ProductRecord).variantIndexes.length),
    variants: (p, args, context, info) =>
      paginate(
        indexSpace((p as ProductRecord).variantIndexes, (index) => context.shop.variants[index]!),
        connectionArgs(args, info, context),
      ),
  },

  ProductVariant: {
    id: (v) => toGid('ProductVariant', (v as VariantRecord).id),
    legacyResourceId: (v) => String((v as VariantRecord).id),
    displayName: (v, _a, { shop }) => `${shop.products[(v as VariantRecord).productIndex]!.title} - ${(v as VariantRecord).title}`,
    price: (v) => money((v as VariantRecord).priceCents),
    compareAtPrice: (v) => ((v as VariantRecord).compareAtCents === null ? null : money((v as VariantRecord).compareAtCents!)),
    inventoryQuantity: (v, _a, { shop }) => shop.totalAvailable((v as VariantRecord).index),
    availableForSale: (v, _a, { shop }) => {
      const variant = v as VariantRecord;
      return variant.inventoryPolicy === 'CONTINUE' || !variant.item.tracked || shop.totalAvailable(variant.index) > 0;
    },
    createdAt: (v) => dateTime((v as VariantRecord).createdAt),
    updatedAt: (v) => dateTime((v as VariantRecord).updatedAt),
    product: (v, _a, { shop }) => shop.products[(v as VariantRecord).productIndex],
    inventoryItem: (v) => (v as VariantRecord).item,
  },

  InventoryItem: {
    id: (i) => toGid('InventoryItem', (i as InventoryItemRecord).id),
    legacyResourceId: (i) => String((i as InventoryItemRecord).id),
    sku: (i) => (i as InventoryItemRecord).variant.sku,
    unitCost: (i, _a, { shop }) => ({ amount: money((i as InventoryItemRecord).costCents), currencyCode: shop.info.currencyCode }),
    createdAt: (i) => dateTime((i as InventoryItemRecord).createdAt),
    updatedAt: (i) => dateTime((i as InventoryItemRecord).updatedAt),
    variant: (i) => (i as InventoryItemRecord).variant,
    inventoryLevel: (i, args, { shop }) => {
      const id = gidNumber(args['locationId'], 'Location');
      const location = id === undefined ? undefined : shop.location(id);
      return location ? (shop.level((i as InventoryItemRecord).index, location.index) ?? null) : null;
    },
    inventoryLevels: (i, args, context, info) => paginate(levelsOfItem(context.shop, (i as InventoryItemRecord).index), connectionArgs(args, info, context)),
    locationsCount: (i, _a, { shop }) => {
      let stocked = 0;
      for (let l = 0; l < shop.locations.length; l++) if (shop.isStocked((i as InventoryItemRecord).index, l)) stocked++;
      return count(stocked);
    },
  },

  InventoryLevel: {
    id: (l, _a, { shop }) => {
      const level = l as LevelRef;
      return inventoryLevelGid(shop.variants[level.itemIndex]!.item.id, shop.locations[level.locationIndex]!.id);
    },
    item: (l, _a, { shop }) => shop.variants[(l as LevelRef).itemIndex]!.item,
    location: (l, _a, { shop }) => shop.locations[(l as LevelRef).locationIndex],
    quantities: (l, args, { shop }) => {
      const level = l as LevelRef;
      const names = args['names'] as string[];
      const invalid = names.find((name) => !(ALL_QUANTITY_NAMES as readonly string[]).includes(name));
      if (invalid !== undefined) {
        throw new GraphQLError(`Invalid quantity name: ${invalid}. Valid names are: ${ALL_QUANTITY_NAMES.join(', ')}.`);
      }
      const updatedAt = dateTime(shop.levelUpdatedAt[shop.levelIndex(level.itemIndex, level.locationIndex)]!);
      const item = shop.variants[level.itemIndex]!.item;
      const location = shop.locations[level.locationIndex]!;
      return names.map((name) => ({
        id: `gid://shopify/InventoryQuantity/${location.id}?inventory_item_id=${item.id}&name=${name}`,
        name,
        quantity: shop.quantity(level.itemIndex, level.locationIndex, name as QuantityName),
        updatedAt,
      }));
    },
    canDeactivate: () => true,
    isActive: () => true,
    createdAt: (l, _a, { shop }) => dateTime(shop.variants[(l as LevelRef).itemIndex]!.createdAt),
    updatedAt: (l, _a, { shop }) => dateTime(shop.levelUpdatedAt[shop.levelIndex((l as LevelRef).itemIndex, (l as LevelRef).locationIndex)]),
  },

  Location: {
    id: (l) => toGid('Location', (l as LocationRecord).id),
    legacyResourceId: (l) => String((l as LocationRecord).id),
    createdAt: (l) => dateTime((l as LocationRecord).createdAt),
    updatedAt: (l) => dateTime((l as LocationRecord).updatedAt),
    inventoryLevel: (l, args, { shop }) => {
      const id = gidNumber(args['inventoryItemId'], 'InventoryItem');
      const item = id === undefined ? undefined : shop.item(id);
      return item ? (shop.level(item.index, (l as LocationRecord).index) ?? null) : null;
    },
    inventoryLevels: (l, args, context, info) => paginate(levelsAtLocation(context.shop, (l as LocationRecord).index), connectionArgs(args, info, context)),
  },

  InventoryAdjustmentGroup: {
    id: (g) => toGid('InventoryAdjustmentGroup', (g as AdjustmentGroup).id),
    createdAt: (g) => dateTime((g as AdjustmentGroup).createdAt),
    changes: (g, args, { shop }) => {
      const itemIds = (args['inventoryItemIds'] as string[] | undefined)?.map((id) => gidNumber(id, 'InventoryItem'));
      const locationIds = (args['locationIds'] as string[] | undefined)?.map((id) => gidNumber(id, 'Location'));
      const names = args['quantityNames'] as string[] | undefined;
      return (g as AdjustmentGroup).changes
        .filter(
          (change) =>
            (!itemIds || itemIds.includes(shop.variants[change.itemIndex]!.item.id)) &&
            (!locationIds || locationIds.includes(shop.locations[change.locationIndex]!.id)) &&
            (!names || names.includes(change.name)),
        )
        .map((change) => ({
          name: change.name,
          delta: change.delta,
          quantityAfterChange: change.quantityAfterChange,
          item: shop.variants[change.itemIndex]!.item,
          location: shop.locations[change.locationIndex],
          ledgerDocumentUri: change.ledgerDocumentUri,
        }));
    },
  },

  WebhookSubscription: {
    id: (s) => toGid('WebhookSubscription', (s as WebhookSubscriptionRecord).id),
    legacyResourceId: (s) => String((s as WebhookSubscriptionRecord).id),
    callbackUrl: (s) => (s as WebhookSubscriptionRecord).uri,
    endpoint: (s) => ({ __typename: 'WebhookHttpEndpoint', callbackUrl: (s as WebhookSubscriptionRecord).uri }),
    apiVersion: (s) => ({ handle: (s as WebhookSubscriptionRecord).apiVersion, displayName: (s as WebhookSubscriptionRecord).apiVersion, supported: true }),
    createdAt: (s) => dateTime((s as WebhookSubscriptionRecord).createdAt),
    updatedAt: (s) => dateTime((s as WebhookSubscriptionRecord).updatedAt),
  },

  BulkOperation: {
    id: (o) => toGid('BulkOperation', (o as { id: number }).id),
    createdAt: (o) => dateTime((o as { createdAt: number }).createdAt),
    completedAt: (o) => dateTime((o as { completedAt: number | null }).completedAt),
    objectCount: (o) => String((o as { objectCount: number }).objectCount),
    rootObjectCount: (o) => String((o as { rootObjectCount: number }).rootObjectCount),
    fileSize: (o) => ((o as { fileSize: number | null }).fileSize === null ? null : String((o as { fileSize: number }).fileSize)),
    partialDataUrl: () => null,
  },

  PriceList: {
    id: (p) => toGid('PriceList', (p as PriceListRecord).id),
    fixedPricesCount: (p) => (p as PriceListRecord).fixedPrices.size,
    catalog: (p, _a, { shop }) => {
      const index = (p as PriceListRecord).catalogIndex;
      return index === null ? null : shop.catalogs[index];
    },
    prices: (p, args, context, info) => {
      const priceList = p as PriceListRecord;
      const { shop } = context;
      const include = matcher<PriceListPriceRef>(args['query'] as string, {
        variant_id: (price) => shop.variants[price.variantIndex]!.id,
        product_id: (price) => shop.products[shop.variants[price.variantIndex]!.productIndex]!.id,
      });
      const space = priceSpace(shop, priceList, args['originType']);
      const filtered: Space<PriceListPriceRef> = include
        ? { ...space, at: (position) => { const price = space.at(position); return price && include(price) ? price : undefined; } }
        : space;
      return paginate(filtered, connectionArgs(args, info, context));
    },
    quantityRules: (p, args, context, info) => {
      const priceList = p as PriceListRecord;
      if (args['originType'] === 'RELATIVE') return paginate(arraySpace<QuantityRuleRecord & { id: number }>([]), connectionArgs(args, info, context));
      const variants = context.shop.variants;
      const indexes = priceList.ruleVariantIndexes;
      const space: Space<QuantityRuleRecord> = {
        length: indexes.length,
        at: (position) => (position < indexes.length ? priceList.quantityRules.get(indexes[position]!) : undefined),
        idOf: (rule) => variants[rule.variantIndex]!.id,
        positionOf: (id) => lowerBound(indexes.length, (i) => variants[indexes[i]!]!.id, id),
      };
      return paginate(space, connectionArgs(args, info, context));
    },
  },

  PriceListPrice: {
    variant: (p, _a, { shop }) => shop.variants[(p as PriceListPriceRef).variantIndex],
    quantityPriceBreaks: (p, args, context, info) => {
      const ref = p as PriceListPriceRef;
      const breaks = context.shop.priceLists[ref.priceListIndex]!.priceBreaks.get(ref.variantIndex) ?? [];
      return paginate(arraySpace(breaks), connectionArgs(args, info, context));
    },
  },

  QuantityPriceBreak: {
    variant: (b, _a, { shop }) => shop.variants[(b as QuantityPriceBreakRecord).variantIndex],
    priceList: (b, _a, { shop }) => shop.priceLists[(b as QuantityPriceBreakRecord).priceListIndex],
  },

  CompanyLocationCatalog: {
    id: (c) => toGid('CompanyLocationCatalog', (c as CatalogRecord).id),
    priceList: (c, _a, { shop }) => {
      const index = (c as CatalogRecord).priceListIndex;
      return index === null ? null : shop.priceLists[index];
    },
    companyLocations: (c, args, context, info) =>
      paginate(
        indexSpace((c as CatalogRecord).companyLocationIndexes, (index) => context.shop.companyLocations[index]!),
        connectionArgs(args, info, context),
      ),
    companyLocationsCount: (c) => count((c as CatalogRecord).companyLocationIndexes.length),
  },

  Company: {
    id: (c) => toGid('Company', (c as CompanyRecord).id),
    createdAt: (c) => dateTime((c as CompanyRecord).createdAt),
    updatedAt: (c) => dateTime((c as CompanyRecord).updatedAt),
    locations: (c, args, context, info) =>
      paginate(
        indexSpace((c as CompanyRecord).locationIndexes, (index) => context.shop.companyLocations[index]!),
        connectionArgs(args, info, context),
      ),
    locationsCount: (c) => count((c as CompanyRecord).locationIndexes.length),
  },

  CompanyLocation: {
    id: (c) => toGid('CompanyLocation', (c as CompanyLocationRecord).id),
    company: (c, _a, { shop }) => shop.companies[(c as CompanyLocationRecord).companyIndex],
    createdAt: (c) => dateTime((c as CompanyLocationRecord).createdAt),
    updatedAt: (c) => dateTime((c as CompanyLocationRecord).updatedAt),
    catalogs: (c, args, context, info) =>
      paginate(
        indexSpace((c as CompanyLocationRecord).catalogIndexes, (index) => context.shop.catalogs[index]!),
        connectionArgs(args, info, context),
      ),
    catalogsCount: (c) => count((c as CompanyLocationRecord).catalogIndexes.length),
  },
};

export const SUPPORTED_TOPICS = TOPICS;

/** Shopify's schema subset, with the simulator's resolvers attached. Built once per process. */
export function buildAdminSchema(): GraphQLSchema {
  const schema = buildSchema(ADMIN_SDL + B2B_SDL);
  for (const [typeName, fields] of [...Object.entries(resolvers), ...Object.entries(B2B_RESOLVERS)]) {
    const type = schema.getType(typeName);
    if (!(type instanceof GraphQLObjectType)) throw new Error(`resolver map names unknown type ${typeName}`);
    const definitions = type.getFields();
    for (const [fieldName, resolve] of Object.entries(fields)) {
      const field = definitions[fieldName];
      if (!field) throw new Error(`resolver map names unknown field ${typeName}.${fieldName}`);
      field.resolve = resolve as GraphQLFieldResolver<unknown, unknown>;
    }
  }
  const byTypename = (value: unknown) => (value as { __typename?: string }).__typename;
  for (const type of Object.values(schema.getTypeMap())) {
    if (type instanceof GraphQLInterfaceType || type instanceof GraphQLUnionType) type.resolveType = byTypename;
  }
  return schema;
}
