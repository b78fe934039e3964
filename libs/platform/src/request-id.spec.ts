import { requestIdFrom } from './request-id';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

describe('requestIdFrom', () => {
  it("keeps a plausible client id (the first, when the header is repeated)", () => {
    expect(requestIdFrom('req-42_a.b:c')).toBe('req-42_a.b:c');
    expect(requestIdFrom(['first-1', 'second-2'])).toBe('first-1');
    expect(requestIdFrom('x'.repeat(128))).toBe('x'.repeat(128));
  });

  it('replaces a missing, empty, too long or oddly spelled one with a new UUID', () => {
    for (const header of [undefined, '', 'x'.repeat(129), 'has space', '<script>', 'a,b', 'naïve', 'line\nbreak']) {
      expect(requestIdFrom(header)).toMatch(UUID);
    }
    expect(requestIdFrom(undefined)).not.toBe(requestIdFrom(undefined));
  });
});
