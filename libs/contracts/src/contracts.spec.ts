import { createHmac } from 'node:crypto';
import {
  inventoryCheckRequestSchema,
  parseVariantId,
  priceQuoteRequestSchema,
  priceQuoteResponseSchema,
  reservationRequestSchema,
  signLegacyCartToken,
  verifyLegacyCartToken,
} from './index';

describe('parseVariantId', () => {
  it.each([
    [123, '123'],
    ['123', '123'],
    ['007', '7'],
    ['gid://shopify/ProductVariant/44012345678', '44012345678'],
    ['9223372036854775807', '9223372036854775807'],
    ['gid://shopify/ProductVariant/9223372036854775807', '9223372036854775807'],
  ])('reads %p as %s', (input, expected) => expect(parseVariantId(input)).toBe(expected));

  it.each([0, -1, 1.5, Number.MAX_SAFE_INTEGER + 2, '', '0', 'abc', 'gid://shopify/Product/1', 'gid://shopify/ProductVariant/0', '123456789012345678901',
    // Past int8: PostgreSQL would answer 22003 (numeric out of range), the API a 500.
    '9223372036854775808', '99999999999999999999', '18446744073709551615', 'gid://shopify/ProductVariant/99999999999999999999'])(
    'rejects %p',
    (input) => expect(parseVariantId(input)).toBeUndefined(),
  );
});

describe('request contracts', () => {
  it('normalises variant ids and names the failing field', () => {
    expect(inventoryCheckRequestSchema.parse({ variantId: 'gid://shopify/ProductVariant/9', quantity: 2 })).toEqual({ variantId: '9', quantity: 2 });
    const bad = inventoryCheckRequestSchema.safeParse({ variantId: 9, quantity: 0, cartToken: '' });
    expect(bad.success).toBe(false);
    expect(bad.error!.issues.map((issue) => issue.path.join('.')).sort()).toEqual(['cartToken', 'quantity']);
  });

  it('needs at least one reservation line and a cart', () => {
    expect(reservationRequestSchema.safeParse({ cartToken: 'c', lines: [] }).success).toBe(false);
    expect(reservationRequestSchema.safeParse({ lines: [{ variantId: 1, quantity: 1 }] }).success).toBe(false);
    expect(reservationRequestSchema.parse({ cartToken: 'c', lines: [{ variantId: 1, quantity: 1 }], ttlSeconds: 60 }).lines).toEqual([{ variantId: '1', quantity: 1 }]);
  });

  it('refuses a company location id that is not a Shopify id, and keeps a valid one as sent', () => {
    const line = { variantId: 1, quantity: 1 };
    for (const companyLocationId of ['99999999999999999999', 'gid://shopify/Customer/1', 'loc-1', '0']) {
      expect(priceQuoteRequestSchema.safeParse({ currency: 'USD', companyLocationId, lines: [line] }).success).toBe(false);
    }
    const gid = 'gid://shopify/CompanyLocation/9223372036854775807';
    expect(priceQuoteRequestSchema.parse({ currency: 'USD', companyLocationId: gid, lines: [line] }).companyLocationId).toBe(gid);
  });

  it('quotes in a known currency, money as decimal strings', () => {
    expect(priceQuoteRequestSchema.safeParse({ currency: 'XXX', lines: [{ variantId: 1, quantity: 1 }] }).success).toBe(false);
    const answer = { currency: 'USD', priceListId: null, lines: [{ variantId: '1', quantity: 3, unitPrice: '19.99', lineTotal: '59.97' }], subtotal: '59.97' };
    expect(priceQuoteResponseSchema.parse(answer)).toEqual(answer);
    expect(priceQuoteResponseSchema.safeParse({ ...answer, subtotal: 59.97 }).success).toBe(false);
  });
});

describe('legacy cart tokens', () => {
  const secret = 'monolith-secret-0123456789';

  it('round-trips the cart id, with any of the rotation secrets', () => {
    const token = signLegacyCartToken('cart_42', secret, 1_767_225_600);
    expect(token).toMatch(/^lm1\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+$/);
    expect(verifyLegacyCartToken(token, ['newer-secret-abcdefgh', secret])).toEqual({ ok: true, cartId: 'cart_42', issuedAt: 1_767_225_600 });
  });

  it('refuses a forged, truncated or foreign token without throwing', () => {
    const token = signLegacyCartToken('cart_42', secret);
    const [prefix, payload, sig] = token.split('.');
    const forgedPayload = Buffer.from(JSON.stringify({ c: 'cart_43', iat: 1 })).toString('base64url');
    expect(verifyLegacyCartToken(`${prefix}.${forgedPayload}.${sig}`, [secret])).toEqual({ ok: false, reason: 'bad_signature' });
    expect(verifyLegacyCartToken(token, ['another-secret-123456'])).toEqual({ ok: false, reason: 'bad_signature' });
    expect(verifyLegacyCartToken(`${prefix}.${payload}`, [secret])).toEqual({ ok: false, reason: 'malformed' });
    expect(verifyLegacyCartToken(`${prefix}.${payload}.${sig!.slice(0, 10)}`, [secret])).toEqual({ ok: false, reason: 'bad_signature' });
    expect(verifyLegacyCartToken('lm1.%%%.x', [secret])).toEqual({ ok: false, reason: 'malformed' });
    expect(verifyLegacyCartToken('cart_42', [secret])).toEqual({ ok: false, reason: 'not_legacy' });
  });

  it('refuses a signed payload that is not a cart', () => {
    const payload = Buffer.from('not json').toString('base64url');
    const sig = createHmac('sha256', secret).update(`lm1.${payload}`).digest('base64url');
    expect(verifyLegacyCartToken(`lm1.${payload}.${sig}`, [secret])).toEqual({ ok: false, reason: 'malformed' });
  });
});
