import { createHmac, timingSafeEqual } from 'node:crypto';

/**
 * The legacy monolith's cart token: `lm1.<payload>.<signature>`, where the
 * payload is base64url JSON `{"c": cartId, "iat": unixSeconds}` and the
 * signature is base64url HMAC-SHA256 over `lm1.<payload>` with the
 * monolith's secret. Checkout clients hold these; the modules key carts by
 * the plain cart id, so the gateway's token migration verifies the signature
 * and hands the module the id. Several secrets are accepted (newest first)
 * so the secret can be rotated.
 */
export const LEGACY_CART_TOKEN_PREFIX = 'lm1';

const CART_ID = /^[A-Za-z0-9_-]{1,64}$/;
const BASE64URL = /^[A-Za-z0-9_-]+$/;
// A token is short; anything far longer is not one (and not worth hashing).
const MAX_TOKEN_LENGTH = 512;

export interface LegacyCartToken {
  cartId: string;
  issuedAt: number;
}

export type LegacyCartTokenResult =
  | ({ ok: true } & LegacyCartToken)
  | { ok: false; reason: 'not_legacy' | 'malformed' | 'bad_signature' };

export function signLegacyCartToken(cartId: string, secret: string, issuedAt = Math.floor(Date.now() / 1000)): string {
  if (!CART_ID.test(cartId)) throw new RangeError('a cart id is 1-64 characters of [A-Za-z0-9_-]');
  const payload = Buffer.from(JSON.stringify({ c: cartId, iat: issuedAt })).toString('base64url');
  const signed = `${LEGACY_CART_TOKEN_PREFIX}.${payload}`;
  return `${signed}.${signature(signed, secret)}`;
}

/** Never throws. `not_legacy`: the token is not in the monolith's format at all (e.g. already a plain id). */
export function verifyLegacyCartToken(token: string, secrets: readonly string[]): LegacyCartTokenResult {
  if (!token.startsWith(`${LEGACY_CART_TOKEN_PREFIX}.`)) return { ok: false, reason: 'not_legacy' };
  if (token.length > MAX_TOKEN_LENGTH) return { ok: false, reason: 'malformed' };
  const parts = token.split('.');
  if (parts.length !== 3 || !BASE64URL.test(parts[1]!) || !BASE64URL.test(parts[2]!)) return { ok: false, reason: 'malformed' };
  const signed = `${parts[0]}.${parts[1]}`;
  const given = Buffer.from(parts[2]!, 'base64url');
  const valid = secrets.some((secret) => {
    const expected = Buffer.from(signature(signed, secret), 'base64url');
    return expected.length === given.length && timingSafeEqual(expected, given);
  });
  if (!valid) return { ok: false, reason: 'bad_signature' };
  let payload: unknown;
  try {
    payload = JSON.parse(Buffer.from(parts[1]!, 'base64url').toString('utf8'));
  } catch {
    return { ok: false, reason: 'malformed' };
  }
  const { c, iat } = (payload ?? {}) as { c?: unknown; iat?: unknown };
  if (typeof c !== 'string' || !CART_ID.test(c) || typeof iat !== 'number' || !Number.isSafeInteger(iat)) return { ok: false, reason: 'malformed' };
  return { ok: true, cartId: c, issuedAt: iat };
}

function signature(signed: string, secret: string): string {
  return createHmac('sha256', secret).update(signed).digest('base64url');
}
