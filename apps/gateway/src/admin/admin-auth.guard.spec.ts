import { bearerMatches } from './admin-auth.guard';

const token = 'admin-token-0123456789';

describe('bearerMatches', () => {
  it('accepts the exact bearer token, case-insensitive scheme', () => {
    expect(bearerMatches(`Bearer ${token}`, token)).toBe(true);
    expect(bearerMatches(`bearer ${token}`, token)).toBe(true);
  });

  it.each([
    ['no header', undefined],
    ['an empty header', ''],
    ['another scheme', `Basic ${token}`],
    ['a prefix of the token', `Bearer ${token.slice(0, -1)}`],
    ['a longer token', `Bearer ${token}x`],
    ['no token', 'Bearer '],
    ['two tokens', `Bearer ${token} ${token}`],
  ])('refuses %s', (_label, header) => {
    expect(bearerMatches(header, token)).toBe(false);
  });
});
