import { normalizeReservation, requestHash } from './reservation-request';

const limits = { defaultTtlSeconds: 900, maxTtlSeconds: 3_600 };

describe('normalizeReservation', () => {
  it('adds up lines of the same variant and orders them by id', () => {
    const result = normalizeReservation(
      { cartToken: 'c', lines: [{ variantId: '20', quantity: 1 }, { variantId: '3', quantity: 2 }, { variantId: '20', quantity: 4 }] },
      limits,
    );
    expect(result).toEqual({ ok: true, request: { cartToken: 'c', ttlSeconds: 900, lines: [{ variantId: '3', quantity: 2 }, { variantId: '20', quantity: 5 }] } });
  });

  it('refuses a TTL above the maximum, naming the field', () => {
    expect(normalizeReservation({ cartToken: 'c', lines: [{ variantId: '1', quantity: 1 }], ttlSeconds: 3_601 }, limits)).toEqual({
      ok: false,
      issues: [{ path: 'ttlSeconds', message: 'must be at most 3600' }],
    });
  });
});

describe('requestHash', () => {
  const hashOf = (request: Parameters<typeof normalizeReservation>[0]) => {
    const result = normalizeReservation(request, limits);
    if (!result.ok) throw new Error('invalid');
    return requestHash(result.request);
  };

  it('is the same for bodies that mean the same reservation', () => {
    expect(hashOf({ cartToken: 'c', lines: [{ variantId: '1', quantity: 1 }, { variantId: '2', quantity: 2 }] })).toBe(
      hashOf({ cartToken: 'c', lines: [{ variantId: '2', quantity: 2 }, { variantId: '1', quantity: 1 }], ttlSeconds: 900 }),
    );
  });

  it('differs when anything that matters differs', () => {
    const base = hashOf({ cartToken: 'c', lines: [{ variantId: '1', quantity: 1 }] });
    expect(hashOf({ cartToken: 'd', lines: [{ variantId: '1', quantity: 1 }] })).not.toBe(base);
    expect(hashOf({ cartToken: 'c', lines: [{ variantId: '1', quantity: 2 }] })).not.toBe(base);
    expect(hashOf({ cartToken: 'c', lines: [{ variantId: '1', quantity: 1 }], ttlSeconds: 60 })).not.toBe(base);
  });
});
