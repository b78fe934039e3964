import { toGid } from '@understudy/shopify';
import { GraphQLError, type GraphQLFieldResolver } from 'graphql';
import { arraySpace, paginate } from '../admin-graphql/connection';
import type { GraphqlContext } from '../admin-graphql/context';
import { type Args, connectionArgs, gidNumber } from '../admin-graphql/resolver-helpers';
import type { PriceListPriceRef, PriceListRecord, QuantityPriceBreakRecord, QuantityRuleRecord, VariantRecord } from '../store/records';
import type { ShopState } from '../store/shop';
import { catalogContextUpdate, catalogUpdate, priceListFixedPricesAdd, priceListUpdate, productVariantsBulkUpdate, quantityPricingByVariantUpdate } from './b2b-mutations';
import { type ContextualBreak, type ContextualPricing, contextualPricing } from './contextual-pricing';
import { adjustedMinor, minorOfCents, printMinor } from './sim-money';

type Resolver = GraphQLFieldResolver<unknown, GraphqlContext, Args>;

const moneyV2 = (minor: number, currency: string) => ({ amount: printMinor(minor, currency), currencyCode: currency });

interface ContextualPricingNode extends ContextualPricing {
  variantIndex: number;
}

/** A price list's price for a variant, exactly (fixed, else the adjusted base price). */
function listPrice(shop: ShopState, priceList: PriceListRecord, variantIndex: number): { minor: number; compareAtMinor: number | null; origin: 'FIXED' | 'RELATIVE' } {
  const currency = priceList.currency;
  const fixed = priceList.fixedPrices.get(variantIndex);
  if (fixed) return { minor: minorOfCents(fixed.priceCents, currency), compareAtMinor: fixed.compareAtCents === null ? null : minorOfCents(fixed.compareAtCents, currency), origin: 'FIXED' };
  const variant = shop.variants[variantIndex]!;
  const compareAtMinor = variant.compareAtCents === null || priceList.compareAtMode === 'NULLIFY' ? null : adjustedMinor(variant.compareAtCents, priceList.adjustment, currency);
  return { minor: adjustedMinor(variant.priceCents, priceList.adjustment, currency), compareAtMinor, origin: 'RELATIVE' };
}

/** Resolvers for b2b-schema.ts; applied after the base map, so the few base fields named here are replaced. */
export const B2B_RESOLVERS: Record<string, Record<string, Resolver>> = {
  Mutation: {
    productVariantsBulkUpdate: (_s, args, { shop, events }) => {
      const result = productVariantsBulkUpdate(shop, args);
      if (result.product && result.productVariants) events.productChanged(shop, result.product);
      return result;
    },
    priceListUpdate: (_s, args, { shop }) => priceListUpdate(shop, args),
    priceListFixedPricesAdd: (_s, args, { shop }) => priceListFixedPricesAdd(shop, args),
    quantityPricingByVariantUpdate: (_s, args, { shop }) => quantityPricingByVariantUpdate(shop, args),
    catalogUpdate: (_s, args, { shop }) => catalogUpdate(shop, args),
    catalogContextUpdate: (_s, args, { shop }) => catalogContextUpdate(shop, args),
  },

  ProductVariant: {
    contextualPricing: (v, args, { shop }) => {
      const variant = v as VariantRecord;
      const context = (args['context'] ?? {}) as { companyLocationId?: string | null };
      let location;
      if (context.companyLocationId) {
        const id = gidNumber(context.companyLocationId, 'CompanyLocation');
        location = id === undefined ? undefined : shop.companyLocation(id);
        if (!location) throw new GraphQLError(`Company location not found: ${context.companyLocationId}`, { extensions: { code: 'NOT_FOUND' } });
      }
      const node: ContextualPricingNode = { ...contextualPricing(shop, variant, location), variantIndex: variant.index };
      return node;
    },
  },

  ProductVariantContextualPricing: {
    price: (p) => moneyV2((p as ContextualPricingNode).priceMinor, (p as ContextualPricingNode).currency),
    compareAtPrice: (p) => {
      const node = p as ContextualPricingNode;
      return node.compareAtMinor === null ? null : moneyV2(node.compareAtMinor, node.currency);
    },
    quantityPriceBreaks: (p, args, context, info) => paginate(arraySpace((p as ContextualPricingNode).breaks), connectionArgs(args, info, context)),
    quantityRule: (p) => {
      const node = p as ContextualPricingNode;
      return node.rule ?? { __typename: 'QuantityRule', variantIndex: node.variantIndex, priceListIndex: -1, minimum: 1, maximum: null, increment: 1, isDefault: true };
    },
  },

  QuantityPriceBreak: {
    id: (b) => toGid('QuantityPriceBreak', (b as QuantityPriceBreakRecord).id),
    price: (b, _a, { shop }) => {
      if ('minor' in (b as object)) return moneyV2((b as ContextualBreak).minor, (b as ContextualBreak).currency);
      const priceBreak = b as QuantityPriceBreakRecord;
      const currency = shop.priceLists[priceBreak.priceListIndex]!.currency;
      return moneyV2(minorOfCents(priceBreak.priceCents, currency), currency);
    },
  },

  QuantityRule: {
    isDefault: (r) => (r as { isDefault?: boolean }).isDefault === true,
    originType: (r) => ((r as { isDefault?: boolean }).isDefault === true ? 'RELATIVE' : 'FIXED'),
    productVariant: (r, _a, { shop }) => shop.variants[(r as QuantityRuleRecord).variantIndex],
  },

  PriceList: {
    parent: (p) => ({ adjustment: (p as PriceListRecord).adjustment, settings: { compareAtMode: (p as PriceListRecord).compareAtMode } }),
  },

  PriceListPrice: {
    price: (p, _a, { shop }) => {
      const ref = p as PriceListPriceRef;
      const priceList = shop.priceLists[ref.priceListIndex]!;
      return moneyV2(listPrice(shop, priceList, ref.variantIndex).minor, priceList.currency);
    },
    compareAtPrice: (p, _a, { shop }) => {
      const ref = p as PriceListPriceRef;
      const priceList = shop.priceLists[ref.priceListIndex]!;
      const { compareAtMinor } = listPrice(shop, priceList, ref.variantIndex);
      return compareAtMinor === null ? null : moneyV2(compareAtMinor, priceList.currency);
    },
    originType: (p, _a, { shop }) => {
      const ref = p as PriceListPriceRef;
      return listPrice(shop, shop.priceLists[ref.priceListIndex]!, ref.variantIndex).origin;
    },
  },
};
