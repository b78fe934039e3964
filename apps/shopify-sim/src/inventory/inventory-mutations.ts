import { parseId } from '@understudy/shopify';
import { GraphQLError } from 'graphql';
import type { QuantityChange, ShopState } from '../store/shop';
import type { StoredQuantityName } from '../store/records';

/**
 * `inventorySetQuantities` and `inventoryAdjustQuantities` as Shopify runs
 * them: every input is checked first and nothing changes unless all of it is
 * valid; from 2026-04 each quantity must carry `changeFromQuantity` (explicit
 * `null` opts out of the compare-and-swap) and a stale one is refused with
 * CHANGE_FROM_QUANTITY_STALE; before 2026-04 `compareQuantity` /
 * `ignoreCompareQuantity` do the same job.
 */
export const VALID_REASONS = [
  'correction',
  'cycle_count_available',
  'damaged',
  'movement_created',
  'movement_updated',
  'movement_received',
  'movement_canceled',
  'other',
  'promotion',
  'quality_control',
  'received',
  'reservation_created',
  'reservation_deleted',
  'reservation_updated',
  'restock',
  'safety_stock',
  'shrinkage',
] as const;

const SETTABLE_NAMES = ['available', 'on_hand'] as const;
const ADJUSTABLE_NAMES = ['available', 'damaged', 'incoming', 'quality_control', 'reserved', 'safety_stock', 'on_hand'] as const;
const MAX_QUANTITY = 1_000_000_000;

export interface UserError {
  code: string;
  field: string[];
  message: string;
}

export interface AppliedChange extends QuantityChange {
  itemIndex: number;
  locationIndex: number;
  ledgerDocumentUri: string | null;
}

export interface AdjustmentGroup {
  __typename: 'InventoryAdjustmentGroup';
  id: number;
  createdAt: number;
  reason: string;
  referenceDocumentUri: string | null;
  changes: AppliedChange[];
}

export interface MutationResult {
  group: AdjustmentGroup | null;
  userErrors: UserError[];
  /** Levels whose quantities changed, for the webhooks. */
  touched: Array<{ itemIndex: number; locationIndex: number }>;
}

export interface SetQuantitiesInput {
  name: string;
  reason: string;
  referenceDocumentUri?: string | null;
  ignoreCompareQuantity?: boolean | null;
  quantities: Array<{
    inventoryItemId: string;
    locationId: string;
    quantity: number;
    changeFromQuantity?: number | null;
    compareQuantity?: number | null;
  }>;
}

export interface AdjustQuantitiesInput {
  name: string;
  reason: string;
  referenceDocumentUri?: string | null;
  changes: Array<{ delta: number; inventoryItemId: string; locationId: string; ledgerDocumentUri?: string | null; changeFromQuantity?: number | null }>;
}

/** From 2026-04 the compare-and-swap value is mandatory and so is the idempotency key. */
export function requiresChangeFrom(version: string): boolean {
  return version === 'unstable' || version >= '2026-04';
}

function isUri(value: string): boolean {
  return /^[a-z][a-z0-9+.-]*:\S+$/i.test(value);
}

function resolveLevel(
  shop: ShopState,
  inventoryItemId: string,
  locationId: string,
  field: string[],
  errors: UserError[],
): { itemIndex: number; locationIndex: number } | undefined {
  const itemId = parseId(inventoryItemId, 'InventoryItem');
  const item = itemId === undefined ? undefined : shop.item(Number(itemId));
  if (!item) {
    errors.push({ code: 'INVALID_INVENTORY_ITEM', field: [...field, 'inventoryItemId'], message: 'The specified inventory item could not be found.' });
    return undefined;
  }
  const locId = parseId(locationId, 'Location');
  const location = locId === undefined ? undefined : shop.location(Number(locId));
  if (!location) {
    errors.push({ code: 'INVALID_LOCATION', field: [...field, 'locationId'], message: 'The specified location could not be found.' });
    return undefined;
  }
  if (!shop.isStocked(item.index, location.index)) {
    errors.push({
      code: 'ITEM_NOT_STOCKED_AT_LOCATION',
      field: [...field, 'locationId'],
      message: 'The specified inventory item is not stocked at the location.',
    });
    return undefined;
  }
  if (!item.tracked) {
    errors.push({
      code: 'NON_MUTABLE_INVENTORY_ITEM',
      field: [...field, 'inventoryItemId'],
      message: 'The specified inventory item is not allowed to be adjusted via API. Example: if the inventory item is untracked.',
    });
    return undefined;
  }
  return { itemIndex: item.index, locationIndex: location.index };
}

function commonChecks(input: { reason: string; referenceDocumentUri?: string | null }, errors: UserError[]): void {
  if (!(VALID_REASONS as readonly string[]).includes(input.reason)) {
    errors.push({ code: 'INVALID_REASON', field: ['input', 'reason'], message: 'The specified reason is invalid.' });
  }
  if (input.referenceDocumentUri && !isUri(input.referenceDocumentUri)) {
    errors.push({ code: 'INVALID_REFERENCE_DOCUMENT', field: ['input', 'referenceDocumentUri'], message: 'The specified reference document is invalid.' });
  }
}

/** `undefined` when the input leaves the field out (which the @idempotent versions refuse), `null` when it opts out of the check. */
function changeFromQuantity(input: { changeFromQuantity?: number | null }): number | null | undefined {
  return Object.hasOwn(input, 'changeFromQuantity') ? input.changeFromQuantity : undefined;
}

/** Shopify's compare-and-set: a changeFromQuantity that no longer matches the stored quantity refuses the change. */
function isStale(expected: number | null | undefined, current: number, field: string[], errors: UserError[]): boolean {
  if (expected === undefined || expected === null || expected === current) return false;
  errors.push({ code: 'CHANGE_FROM_QUANTITY_STALE', field: [...field, 'changeFromQuantity'], message: 'The specified changeFromQuantity does not match the persisted value.' });
  return true;
}

function missingChangeFrom(path: string): GraphQLError {
  return new GraphQLError(
    `${path}.changeFromQuantity must be provided: pass the quantity you expect, or null to skip the compare-and-swap check.`,
    { extensions: { code: 'INVALID_FIELD_ARGUMENTS' } },
  );
}

export function setQuantities(shop: ShopState, input: SetQuantitiesInput, version: string, now = Date.now()): MutationResult {
  const errors: UserError[] = [];
  if (!(SETTABLE_NAMES as readonly string[]).includes(input.name)) {
    errors.push({ code: 'INVALID_NAME', field: ['input', 'name'], message: "The quantity name must be either 'available' or 'on_hand'." });
  }
  commonChecks(input, errors);
  const name = input.name as (typeof SETTABLE_NAMES)[number];
  const strict = requiresChangeFrom(version);
  const seen = new Set<string>();
  const targets: Array<{ itemIndex: number; locationIndex: number; quantity: number }> = [];
  input.quantities.forEach((quantity, index) => {
    const field = ['input', 'quantities', String(index)];
    if (strict && !Object.hasOwn(quantity, 'changeFromQuantity')) throw missingChangeFrom(`input.quantities[${index}]`);
    const level = resolveLevel(shop, quantity.inventoryItemId, quantity.locationId, field, errors);
    if (!level) return;
    const key = `${level.itemIndex}:${level.locationIndex}`;
    if (seen.has(key)) {
      errors.push({
        code: 'NO_DUPLICATE_INVENTORY_ITEM_ID_GROUP_ID_PAIR',
        field,
        message: 'The combination of inventoryItemId and locationId must be unique.',
      });
      return;
    }
    seen.add(key);
    if (Math.abs(quantity.quantity) > MAX_QUANTITY) {
      errors.push({ code: 'INVALID_QUANTITY_TOO_HIGH', field: [...field, 'quantity'], message: 'The quantity can\'t be higher than 1,000,000,000.' });
      return;
    }
    if (name === 'on_hand' && quantity.quantity < 0) {
      errors.push({ code: 'INVALID_QUANTITY_NEGATIVE', field: [...field, 'quantity'], message: 'The quantity can\'t be negative.' });
      return;
    }
    if (!SETTABLE_NAMES.includes(name)) return;
    const current = shop.quantity(level.itemIndex, level.locationIndex, name);
    const expected = changeFromQuantity(quantity);
    if (isStale(expected, current, field, errors)) return;
    if (!strict && expected === undefined && !input.ignoreCompareQuantity) {
      if (quantity.compareQuantity === undefined || quantity.compareQuantity === null) {
        errors.push({
          code: 'COMPARE_QUANTITY_REQUIRED',
          field: [...field, 'compareQuantity'],
          message: 'The compareQuantity argument must be given to each quantity or ignored using ignoreCompareQuantity.',
        });
        return;
      }
      if (quantity.compareQuantity !== current) {
        errors.push({
          code: 'COMPARE_QUANTITY_STALE',
          field: [...field, 'compareQuantity'],
          message: 'The compareQuantity value does not match persisted value.',
        });
        return;
      }
    }
    targets.push({ ...level, quantity: quantity.quantity });
  });
  if (errors.length > 0) return { group: null, userErrors: errors, touched: [] };

  const group = newGroup(shop, input, now);
  const touched: MutationResult['touched'] = [];
  for (const target of targets) {
    const changes = shop.changeQuantity(target.itemIndex, target.locationIndex, name, { set: target.quantity }, now);
    for (const change of changes) group.changes.push({ ...change, ...target, ledgerDocumentUri: null });
    if (changes[0]!.delta !== 0) touched.push(target);
  }
  return { group, userErrors: [], touched };
}

export function adjustQuantities(shop: ShopState, input: AdjustQuantitiesInput, version: string, now = Date.now()): MutationResult {
  const errors: UserError[] = [];
  const nameValid = (ADJUSTABLE_NAMES as readonly string[]).includes(input.name);
  if (!nameValid) {
    errors.push({ code: 'INVALID_QUANTITY_NAME', field: ['input', 'name'], message: 'The specified quantity name is invalid.' });
  }
  commonChecks(input, errors);
  const name = input.name as StoredQuantityName | 'on_hand';
  const strict = requiresChangeFrom(version);
  const targets: Array<{ itemIndex: number; locationIndex: number; delta: number; ledgerDocumentUri: string | null }> = [];
  input.changes.forEach((change, index) => {
    const field = ['input', 'changes', String(index)];
    if (strict && !Object.hasOwn(change, 'changeFromQuantity')) throw missingChangeFrom(`input.changes[${index}]`);
    if (name === 'available' && change.ledgerDocumentUri) {
      errors.push({
        code: 'INVALID_AVAILABLE_DOCUMENT',
        field: [...field, 'ledgerDocumentUri'],
        message: 'A ledger document URI is not allowed when adjusting available.',
      });
      return;
    }
    if (nameValid && name !== 'available' && (!change.ledgerDocumentUri || !isUri(change.ledgerDocumentUri))) {
      errors.push({
        code: 'INVALID_LEDGER_DOCUMENT',
        field: [...field, 'ledgerDocumentUri'],
        message: 'A ledger document URI is required for quantity names other than available.',
      });
      return;
    }
    const level = resolveLevel(shop, change.inventoryItemId, change.locationId, field, errors);
    if (!level || !nameValid) return;
    const current = shop.quantity(level.itemIndex, level.locationIndex, name);
    if (isStale(changeFromQuantity(change), current, field, errors)) return;
    if (current + change.delta > MAX_QUANTITY) {
      errors.push({ code: 'INVALID_QUANTITY_TOO_HIGH', field: [...field, 'delta'], message: 'The quantity can\'t be higher than 1,000,000,000.' });
      return;
    }
    if (current + change.delta < -MAX_QUANTITY) {
      errors.push({ code: 'INVALID_QUANTITY_TOO_LOW', field: [...field, 'delta'], message: 'The quantity can\'t be lower than -1,000,000,000.' });
      return;
    }
    targets.push({ ...level, delta: change.delta, ledgerDocumentUri: change.ledgerDocumentUri ?? null });
  });
  if (errors.length > 0) return { group: null, userErrors: errors, touched: [] };

  const group = newGroup(shop, input, now);
  const touched: MutationResult['touched'] = [];
  for (const target of targets) {
    const changes = shop.changeQuantity(target.itemIndex, target.locationIndex, name, { delta: target.delta }, now);
    for (const change of changes) {
      group.changes.push({ ...change, itemIndex: target.itemIndex, locationIndex: target.locationIndex, ledgerDocumentUri: target.ledgerDocumentUri });
    }
    if (target.delta !== 0) touched.push(target);
  }
  return { group, userErrors: [], touched };
}

function newGroup(shop: ShopState, input: { reason: string; referenceDocumentUri?: string | null }, now: number): AdjustmentGroup {
  return {
    __typename: 'InventoryAdjustmentGroup',
    id: shop.newId(60_000_000_000),
    createdAt: now,
    reason: input.reason,
    referenceDocumentUri: input.referenceDocumentUri ?? null,
    changes: [],
  };
}

/**
 * Remembers what an `@idempotent(key:)` mutation answered, so a retry with
 * the same key and arguments gets the same answer without a second change,
 * and the same key with other arguments is refused.
 */
export class IdempotencyCache {
  private readonly entries = new Map<string, { fingerprint: string; result: unknown }>();

  constructor(private readonly capacity = 100_000) {}

  lookup(key: string, fingerprint: string): { hit: true; result: unknown } | { hit: false } | { mismatch: true } {
    const entry = this.entries.get(key);
    if (!entry) return { hit: false };
    if (entry.fingerprint !== fingerprint) return { mismatch: true };
    return { hit: true, result: entry.result };
  }

  store(key: string, fingerprint: string, result: unknown): void {
    if (this.entries.size >= this.capacity) {
      const oldest = this.entries.keys().next().value;
      if (oldest !== undefined) this.entries.delete(oldest);
    }
    this.entries.set(key, { fingerprint, result });
  }

  clear(): void {
    this.entries.clear();
  }
}
