import { ApiError } from '@understudy/platform';
import { compareIds, parseParam, reservationIdSchema, variantIdSchema } from './ids';

describe('variantIdSchema', () => {
  it.each([
    [123, '123'],
    ['123', '123'],
    ['gid://shopify/ProductVariant/123', '123'],
  ])('accepts %p as variant %s', (input, expected) => {
    expect(variantIdSchema.parse(input)).toBe(expected);
  });

  it.each([0, -1, 1.5, '', 'abc', 'gid://shopify/Product/123', 'gid://shopify/ProductVariant/0'])('rejects %p', (input) => {
    expect(variantIdSchema.safeParse(input).success).toBe(false);
  });
});

describe('parseParam', () => {
  it('answers 400 VALIDATION_FAILED naming the parameter', () => {
    try {
      parseParam(reservationIdSchema, 'id', 'not-a-uuid');
      throw new Error('expected an ApiError');
    } catch (error) {
      expect(error).toBeInstanceOf(ApiError);
      expect((error as ApiError).getStatus()).toBe(400);
      expect((error as ApiError).details).toEqual({ issues: [{ path: 'id', message: expect.any(String) }] });
    }
  });
});

describe('compareIds', () => {
  it('orders decimal ids numerically, beyond 2^53 too', () => {
    expect(['10', '9', '18446744073709551615', '100'].sort(compareIds)).toEqual(['9', '10', '100', '18446744073709551615']);
  });
});
