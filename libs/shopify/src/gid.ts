/**
 * Shopify global ids: `gid://shopify/ProductVariant/123`. REST payloads carry
 * numeric ids, GraphQL carries GIDs; everything inside Understudy keys by the
 * numeric id (as a decimal string, since ids exceed 2^53 in principle).
 */
import { MAX_SHOPIFY_ID } from '@understudy/contracts';

const GID = /^gid:\/\/shopify\/([A-Za-z]+)\/(\d{1,20})(\?.*)?$/;

export function toGid(type: string, id: string | number | bigint): string {
  return `gid://shopify/${type}/${String(id)}`;
}

/**
 * Accepts a GID of the expected type or a bare numeric id; returns the numeric
 * id as a string, or undefined (also when it does not fit a positive int8).
 */
export function parseId(value: string | number, expectedType?: string): string | undefined {
  if (typeof value === 'number') return Number.isSafeInteger(value) && value > 0 ? String(value) : undefined;
  if (/^\d{1,20}$/.test(value)) return inRange(value);
  const match = GID.exec(value);
  if (!match || (expectedType && match[1] !== expectedType)) return undefined;
  return inRange(match[2]!);
}

function inRange(digits: string): string | undefined {
  const id = BigInt(digits);
  return id > 0n && id <= MAX_SHOPIFY_ID ? id.toString() : undefined;
}
