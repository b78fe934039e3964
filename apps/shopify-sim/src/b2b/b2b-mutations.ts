import { parseId } from '@understudy/shopify';
import type { CatalogRecord, PriceListPriceRef, PriceListRecord, ProductRecord, VariantRecord } from '../store/records';
import type { ShopState } from '../store/shop';
import { insertSorted, priceBreak, setFixed, setRule } from './seed-b2b';
import { parseCents } from './sim-money';

/**
 * The merchant's pricing changes through the Admin API. Only the base-price
 * change raises a webhook (`products/update`, sent by the caller through
 * ShopEvents); price lists, fixed prices, quantity pricing and catalogs
 * change silently, as on Shopify — only a reconciler notices them.
 */
export interface UserError {
  code: string;
  field: string[] | null;
  message: string;
}

type Input = Record<string, unknown>;

const error = (code: string, field: string[] | null, message: string): UserError => ({ code, field, message });

function variantOf(shop: ShopState, gid: unknown): VariantRecord | undefined {
  const id = typeof gid === 'string' ? parseId(gid, 'ProductVariant') : undefined;
  return id === undefined ? undefined : shop.variant(Number(id));
}

function priceListOf(shop: ShopState, gid: unknown): PriceListRecord | undefined {
  const id = typeof gid === 'string' ? parseId(gid, 'PriceList') : undefined;
  return id === undefined ? undefined : shop.priceList(Number(id));
}

export function catalogOf(shop: ShopState, gid: unknown): CatalogRecord | undefined {
  const id = typeof gid === 'string' ? parseId(gid, 'CompanyLocationCatalog') : undefined;
  return id === undefined ? undefined : shop.catalog(Number(id));
}

// ---- productVariantsBulkUpdate -------------------------------------------------------------

export function productVariantsBulkUpdate(
  shop: ShopState,
  args: Input,
  now = Date.now(),
): { product: ProductRecord | null; productVariants: VariantRecord[] | null; userErrors: UserError[] } {
  const productId = typeof args['productId'] === 'string' ? parseId(args['productId'], 'Product') : undefined;
  const product = productId === undefined ? undefined : shop.product(Number(productId));
  if (!product) return { product: null, productVariants: null, userErrors: [error('PRODUCT_DOES_NOT_EXIST', ['productId'], 'Product does not exist')] };
  const inputs = args['variants'] as Input[];
  const userErrors: UserError[] = [];
  const changes: Array<{ variant: VariantRecord; priceCents?: number; compareAtCents?: number | null }> = [];
  inputs.forEach((input, i) => {
    const variant = variantOf(shop, input['id']);
    if (!variant || variant.productIndex !== product.index) {
      userErrors.push(error('PRODUCT_VARIANT_DOES_NOT_EXIST', ['variants', String(i), 'id'], 'Product variant does not exist'));
      return;
    }
    const change: (typeof changes)[number] = { variant };
    if (input['price'] !== undefined && input['price'] !== null) {
      const cents = parseCents(input['price'], shop.info.currencyCode);
      if (cents === undefined) userErrors.push(error('INVALID_INPUT', ['variants', String(i), 'price'], 'Price is invalid'));
      else change.priceCents = cents;
    }
    if (input['compareAtPrice'] !== undefined) {
      const cents = input['compareAtPrice'] === null ? null : parseCents(input['compareAtPrice'], shop.info.currencyCode);
      if (cents === undefined) userErrors.push(error('INVALID_INPUT', ['variants', String(i), 'compareAtPrice'], 'Compare at price is invalid'));
      else change.compareAtCents = cents;
    }
    changes.push(change);
  });
  if (userErrors.length > 0 && args['allowPartialUpdates'] !== true) return { product, productVariants: null, userErrors };
  const at = shop.writeClock(now);
  for (const change of changes) {
    if (change.priceCents !== undefined) change.variant.priceCents = change.priceCents;
    if (change.compareAtCents !== undefined) change.variant.compareAtCents = change.compareAtCents;
    change.variant.updatedAt = at;
  }
  product.updatedAt = at;
  return { product, productVariants: changes.map((c) => c.variant), userErrors };
}

// ---- priceListUpdate -----------------------------------------------------------------------

export function priceListUpdate(shop: ShopState, args: Input): { priceList: PriceListRecord | null; userErrors: UserError[] } {
  const priceList = priceListOf(shop, args['id']);
  if (!priceList) return { priceList: null, userErrors: [error('PRICE_LIST_NOT_FOUND', ['id'], 'Price list not found')] };
  const input = args['input'] as Input;
  const parent = input['parent'] as { adjustment: { type: 'PERCENTAGE_DECREASE' | 'PERCENTAGE_INCREASE'; value: number }; settings?: { compareAtMode: 'ADJUSTED' | 'NULLIFY' } | null } | undefined | null;
  if (parent) {
    const { type, value } = parent.adjustment;
    if (!Number.isFinite(value) || value < 0) return { priceList: null, userErrors: [error('INVALID_ADJUSTMENT_MIN_VALUE', ['input', 'parent', 'adjustment', 'value'], 'Adjustment value must be zero or more')] };
    if (type === 'PERCENTAGE_DECREASE' && value > 100) return { priceList: null, userErrors: [error('INVALID_ADJUSTMENT_MAX_VALUE', ['input', 'parent', 'adjustment', 'value'], 'A decrease cannot exceed 100%')] };
    if (type === 'PERCENTAGE_INCREASE' && value > 1000) return { priceList: null, userErrors: [error('INVALID_ADJUSTMENT_MAX_VALUE', ['input', 'parent', 'adjustment', 'value'], 'An increase cannot exceed 1000%')] };
    priceList.adjustment = { type, value };
    if (parent.settings) priceList.compareAtMode = parent.settings.compareAtMode;
  }
  if (typeof input['name'] === 'string' && input['name'].length > 0) priceList.name = input['name'];
  return { priceList, userErrors: [] };
}

// ---- fixed prices and quantity pricing -----------------------------------------------------

interface PriceInput {
  variantId: string;
  price: { amount: unknown; currencyCode: string };
  compareAtPrice?: { amount: unknown; currencyCode: string } | null;
}

function checkPrices(shop: ShopState, priceList: PriceListRecord, prices: readonly PriceInput[], field: string, codes: { variant: string; currency: string }): UserError[] {
  const errors: UserError[] = [];
  prices.forEach((input, i) => {
    if (!variantOf(shop, input.variantId)) errors.push(error(codes.variant, [field, String(i), 'variantId'], 'Variant not found'));
    for (const money of [input.price, input.compareAtPrice ?? null]) {
      if (money === null) continue;
      if (money.currencyCode !== priceList.currency) errors.push(error(codes.currency, [field, String(i), 'price', 'currencyCode'], `Prices must be in ${priceList.currency}`));
      else if (parseCents(money.amount, priceList.currency) === undefined) errors.push(error('INVALID', [field, String(i), 'price', 'amount'], 'Amount is invalid'));
    }
  });
  return errors;
}

function addPrices(shop: ShopState, priceList: PriceListRecord, prices: readonly PriceInput[]): VariantRecord[] {
  return prices.map((input) => {
    const variant = variantOf(shop, input.variantId)!;
    const compareAt = input.compareAtPrice ? parseCents(input.compareAtPrice.amount, priceList.currency)! : null;
    setFixed(priceList, variant.index, parseCents(input.price.amount, priceList.currency)!, compareAt);
    return variant;
  });
}

export function priceListFixedPricesAdd(shop: ShopState, args: Input): { prices: PriceListPriceRef[] | null; userErrors: UserError[] } {
  const priceList = priceListOf(shop, args['priceListId']);
  if (!priceList) return { prices: null, userErrors: [error('PRICE_LIST_NOT_FOUND', ['priceListId'], 'Price list not found')] };
  const prices = args['prices'] as PriceInput[];
  const userErrors = checkPrices(shop, priceList, prices, 'prices', { variant: 'VARIANT_NOT_FOUND', currency: 'PRICES_TO_ADD_CURRENCY_MISMATCH' });
  if (userErrors.length > 0) return { prices: null, userErrors };
  const variants = addPrices(shop, priceList, prices);
  return { prices: variants.map((v) => ({ __typename: 'PriceListPrice', priceListIndex: priceList.index, variantIndex: v.index })), userErrors: [] };
}

function removeFixed(priceList: PriceListRecord, variantIndex: number): void {
  if (!priceList.fixedPrices.delete(variantIndex)) return;
  priceList.fixedVariantIndexes.splice(priceList.fixedVariantIndexes.indexOf(variantIndex), 1);
  priceList.priceBreaks.delete(variantIndex);
}

function removeRule(priceList: PriceListRecord, variantIndex: number): void {
  if (!priceList.quantityRules.delete(variantIndex)) return;
  priceList.ruleVariantIndexes.splice(priceList.ruleVariantIndexes.indexOf(variantIndex), 1);
}

interface BreakInput {
  variantId: string;
  minimumQuantity: number;
  price: { amount: unknown; currencyCode: string };
}

interface RuleInput {
  variantId: string;
  minimum: number;
  maximum?: number | null;
  increment: number;
}

function checkRules(shop: ShopState, rules: readonly RuleInput[]): UserError[] {
  const errors: UserError[] = [];
  rules.forEach((rule, i) => {
    const field = ['input', 'quantityRulesToAdd', String(i)];
    if (!variantOf(shop, rule.variantId)) errors.push(error('QUANTITY_RULE_ADD_VARIANT_NOT_FOUND', [...field, 'variantId'], 'Variant not found'));
    else if (rule.minimum < 1 || rule.increment < 1) errors.push(error('GREATER_THAN_OR_EQUAL_TO', field, 'Minimum and increment must be at least 1'));
    else if (rule.maximum !== null && rule.maximum !== undefined && rule.maximum < rule.minimum) errors.push(error('MINIMUM_IS_GREATER_THAN_MAXIMUM', field, 'Minimum cannot exceed the maximum'));
    else if (rule.minimum % rule.increment !== 0) errors.push(error('MINIMUM_NOT_MULTIPLE_OF_INCREMENT', field, 'Minimum must be a multiple of the increment'));
    else if (rule.maximum !== null && rule.maximum !== undefined && rule.maximum % rule.increment !== 0) errors.push(error('MAXIMUM_NOT_MULTIPLE_OF_INCREMENT', field, 'Maximum must be a multiple of the increment'));
  });
  return errors;
}

export function quantityPricingByVariantUpdate(shop: ShopState, args: Input): { productVariants: VariantRecord[] | null; userErrors: UserError[] } {
  const priceList = priceListOf(shop, args['priceListId']);
  if (!priceList) return { productVariants: null, userErrors: [error('PRICE_LIST_NOT_FOUND', ['priceListId'], 'Price list not found')] };
  const input = args['input'] as {
    pricesToAdd: PriceInput[];
    pricesToDeleteByVariantId: string[];
    quantityPriceBreaksToAdd: BreakInput[];
    quantityPriceBreaksToDelete: string[];
    quantityPriceBreaksToDeleteByVariantId?: string[] | null;
    quantityRulesToAdd: RuleInput[];
    quantityRulesToDeleteByVariantId: string[];
  };
  const userErrors = [
    ...checkPrices(shop, priceList, input.pricesToAdd, 'pricesToAdd', { variant: 'PRICE_ADD_VARIANT_NOT_FOUND', currency: 'PRICE_ADD_CURRENCY_MISMATCH' }),
    ...checkRules(shop, input.quantityRulesToAdd),
  ];
  const pricedAfter = new Set([...priceList.fixedPrices.keys()]);
  for (const gid of input.pricesToDeleteByVariantId) {
    const variant = variantOf(shop, gid);
    if (variant) pricedAfter.delete(variant.index);
    else userErrors.push(error('PRICE_DELETE_VARIANT_NOT_FOUND', ['input', 'pricesToDeleteByVariantId'], 'Variant not found'));
  }
  for (const price of input.pricesToAdd) {
    const variant = variantOf(shop, price.variantId);
    if (variant) pricedAfter.add(variant.index);
  }
  input.quantityPriceBreaksToAdd.forEach((priceBreakInput, i) => {
    const field = ['input', 'quantityPriceBreaksToAdd', String(i)];
    const variant = variantOf(shop, priceBreakInput.variantId);
    if (!variant) userErrors.push(error('QUANTITY_PRICE_BREAK_ADD_VARIANT_NOT_FOUND', field, 'Variant not found'));
    else if (!pricedAfter.has(variant.index)) userErrors.push(error('QUANTITY_PRICE_BREAK_ADD_PRICE_LIST_PRICE_NOT_FOUND', field, 'A quantity price break needs a fixed price for the variant'));
    else if (priceBreakInput.price.currencyCode !== priceList.currency) userErrors.push(error('QUANTITY_PRICE_BREAK_ADD_CURRENCY_MISMATCH', field, `Prices must be in ${priceList.currency}`));
    else if (parseCents(priceBreakInput.price.amount, priceList.currency) === undefined) userErrors.push(error('INVALID', field, 'Amount is invalid'));
    else if (!Number.isInteger(priceBreakInput.minimumQuantity) || priceBreakInput.minimumQuantity < 2) userErrors.push(error('QUANTITY_PRICE_BREAK_ADD_INVALID_MINIMUM_QUANTITY', field, 'Minimum quantity must be at least 2'));
  });
  if (userErrors.length > 0) return { productVariants: null, userErrors };

  const touched = new Map<number, VariantRecord>();
  const touch = (gid: string) => {
    const variant = variantOf(shop, gid);
    if (variant) touched.set(variant.index, variant);
    return variant;
  };
  for (const gid of input.pricesToDeleteByVariantId) removeFixed(priceList, touch(gid)!.index);
  addPrices(shop, priceList, input.pricesToAdd).forEach((v) => touched.set(v.index, v));
  const doomed = new Set(input.quantityPriceBreaksToDelete.map((gid) => Number(parseId(gid, 'QuantityPriceBreak') ?? -1)));
  for (const [variantIndex, breaks] of priceList.priceBreaks) {
    const kept = breaks.filter((b) => !doomed.has(b.id));
    if (kept.length !== breaks.length) touched.set(variantIndex, shop.variants[variantIndex]!);
    if (kept.length === 0) priceList.priceBreaks.delete(variantIndex);
    else priceList.priceBreaks.set(variantIndex, kept);
  }
  for (const gid of input.quantityPriceBreaksToDeleteByVariantId ?? []) {
    const variant = touch(gid);
    if (variant) priceList.priceBreaks.delete(variant.index);
  }
  for (const priceBreakInput of input.quantityPriceBreaksToAdd) {
    const variant = touch(priceBreakInput.variantId)!;
    const breaks = (priceList.priceBreaks.get(variant.index) ?? []).filter((b) => b.minimumQuantity !== priceBreakInput.minimumQuantity);
    breaks.push(priceBreak(shop.newId(9_400_000_000), variant.index, priceList.index, priceBreakInput.minimumQuantity, parseCents(priceBreakInput.price.amount, priceList.currency)!));
    priceList.priceBreaks.set(variant.index, breaks.sort((a, b) => a.minimumQuantity - b.minimumQuantity));
  }
  for (const gid of input.quantityRulesToDeleteByVariantId) {
    const variant = touch(gid);
    if (variant) removeRule(priceList, variant.index);
  }
  for (const rule of input.quantityRulesToAdd) {
    const variant = touch(rule.variantId)!;
    setRule(priceList, variant.index, { minimum: rule.minimum, maximum: rule.maximum ?? null, increment: rule.increment });
  }
  return { productVariants: [...touched.values()], userErrors: [] };
}

// ---- catalogs ------------------------------------------------------------------------------

export function catalogUpdate(shop: ShopState, args: Input): { catalog: CatalogRecord | null; userErrors: UserError[] } {
  const catalog = catalogOf(shop, args['id']);
  if (!catalog) return { catalog: null, userErrors: [error('CATALOG_NOT_FOUND', ['id'], 'Catalog not found')] };
  const input = args['input'] as { title?: string | null; status?: CatalogRecord['status'] | null };
  if (input.status) catalog.status = input.status;
  if (input.title) catalog.title = input.title;
  return { catalog, userErrors: [] };
}

/** Assigns the catalog to company locations, or takes it away (a location keeps at most 25 catalogs, as on Shopify). */
export function catalogContextUpdate(shop: ShopState, args: Input): { catalog: CatalogRecord | null; userErrors: UserError[] } {
  const catalog = catalogOf(shop, args['catalogId']);
  if (!catalog) return { catalog: null, userErrors: [error('CATALOG_NOT_FOUND', ['catalogId'], 'Catalog not found')] };
  const ids = (key: string) => ((args[key] as { companyLocationIds?: string[] | null } | null | undefined)?.companyLocationIds ?? []).map((gid) => {
    const id = parseId(gid, 'CompanyLocation');
    return id === undefined ? undefined : shop.companyLocation(Number(id));
  });
  const adding = ids('contextsToAdd');
  const removing = ids('contextsToRemove');
  if ([...adding, ...removing].some((location) => location === undefined)) {
    return { catalog: null, userErrors: [error('COMPANY_LOCATION_NOT_FOUND', ['contextsToAdd'], 'Company location not found')] };
  }
  for (const location of adding) {
    if (location!.catalogIndexes.includes(catalog.index)) continue;
    if (location!.catalogIndexes.length >= 25) return { catalog: null, userErrors: [error('CONTEXT_LIMIT_REACHED', ['contextsToAdd'], 'A company location can have at most 25 catalogs')] };
    location!.catalogIndexes.push(catalog.index);
    insertSorted(catalog.companyLocationIndexes, location!.index);
  }
  for (const location of removing) {
    location!.catalogIndexes = location!.catalogIndexes.filter((index) => index !== catalog.index);
    catalog.companyLocationIndexes = catalog.companyLocationIndexes.filter((index) => index !== location!.index);
  }
  return { catalog, userErrors: [] };
}
