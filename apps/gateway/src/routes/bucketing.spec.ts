import {
  ANONYMOUS_CLIENT,
  type RequestContext,
  cohortBucket,
  decide,
  fnv1a32,
  hash32,
  matchSegment,
  percentThreshold,
  stickyBucket,
  stickyKeyOf,
} from './bucketing';
import { type RouteConfig, type RouteConfigInput, routeConfigSchema } from './route-config';

const route = (input: Partial<RouteConfigInput> = {}): RouteConfig => routeConfigSchema.parse({ name: 'inventory.check', ...input });
const cart = (token: string, extra: Partial<RequestContext> = {}): RequestContext => ({ requestId: `req-${token}`, cartToken: token, ...extra });

describe('hash32', () => {
  it('builds on standard FNV-1a (reference vectors)', () => {
    expect(fnv1a32('')).toBe(0x811c9dc5);
    expect(fnv1a32('a')).toBe(0xe40c292c);
    expect(fnv1a32('foobar')).toBe(0xbf9cf968);
  });

  it('is pinned: changing it would move every cart to another path', () => {
    expect([hash32(''), hash32('a'), hash32('cart:abc'), hash32('é')]).toEqual([2872998923, 444641715, 962210972, 2387039943]);
    expect(stickyBucket('inventory.check', 'cart:abc')).toBe(8157);
  });

  it('hashes UTF-8 bytes, so a decomposed accent is a different key', () => {
    expect(hash32('é')).not.toBe(hash32('e\u0301'));
  });
});

describe('sticky key and bucket', () => {
  it('prefers cart token, then customer id, then request id', () => {
    expect(stickyKeyOf({ requestId: 'r', cartToken: 'c', customerId: 'u' })).toEqual({ source: 'cart', value: 'cart:c' });
    expect(stickyKeyOf({ requestId: 'r', cartToken: '', customerId: 'u' })).toEqual({ source: 'customer', value: 'customer:u' });
    expect(stickyKeyOf({ requestId: 'r' })).toEqual({ source: 'request', value: 'request:r' });
  });

  it('stays in [0, 10000) and differs between routes (salted by name)', () => {
    let sameOnBothRoutes = 0;
    for (let i = 0; i < 1000; i += 1) {
      const a = stickyBucket('inventory.check', `cart:${i}`);
      const b = stickyBucket('pricing.quote', `cart:${i}`);
      expect(a).toBeGreaterThanOrEqual(0);
      expect(a).toBeLessThan(10_000);
      expect(Number.isInteger(a)).toBe(true);
      if (a === b) sameOnBothRoutes += 1;
    }
    expect(sameOnBothRoutes).toBeLessThan(5);
  });

  it('converts percent to buckets at 0.01% resolution', () => {
    expect(percentThreshold(0)).toBe(0);
    expect(percentThreshold(0.07)).toBe(7);
    expect(percentThreshold(12.34)).toBe(1234);
    expect(percentThreshold(100)).toBe(10_000);
  });
});

describe('decide: stickiness and distribution', () => {
  it('sends the same cart down the same path on every call', () => {
    const r = route({ mode: 'shadow', shadowPercent: 30 });
    for (let i = 0; i < 200; i += 1) {
      const first = decide(r, cart(`tok-${i}`));
      for (let n = 0; n < 3; n += 1) expect(decide(r, { ...cart(`tok-${i}`), requestId: `other-${n}` })).toEqual(first);
    }
  });

  it('keeps a cart that was in at 10% in at 50% and 100% (raising the percentage only adds carts)', () => {
    const percents = [1, 10, 50, 100];
    for (let i = 0; i < 5000; i += 1) {
      const shadowed = percents.map((p) => decide(route({ mode: 'shadow', shadowPercent: p }), cart(`c${i}`)).shadow);
      const firstIn = shadowed.indexOf(true);
      expect(firstIn).toBeGreaterThanOrEqual(0); // everyone is in at 100%
      expect(shadowed.slice(firstIn).every(Boolean)).toBe(true);
    }
  });

  it('shadows about the configured share of 100,000 carts', () => {
    const r = route({ mode: 'shadow', shadowPercent: 33.33 });
    const percents = [1, 10, 50];
    const inAt = percents.map(() => 0);
    let shadowed = 0;
    for (let i = 0; i < 100_000; i += 1) {
      const decision = decide(r, cart(`cart-${i}-${i * 7919}`));
      if (decision.shadow) shadowed += 1;
      percents.forEach((p, n) => (inAt[n]! += decision.bucket < percentThreshold(p) ? 1 : 0));
    }
    // Binomial sd at 50% over 100k is 0.16%; allow ~4 sd.
    expect(Math.abs(shadowed / 1000 - 33.33)).toBeLessThan(0.65);
    percents.forEach((p, n) => expect(Math.abs(inAt[n]! / 1000 - p)).toBeLessThan(0.65));
  });

  it('spreads sequential tokens evenly across the buckets', () => {
    const perDecile = new Array<number>(10).fill(0);
    for (let i = 0; i < 100_000; i += 1) perDecile[Math.floor(stickyBucket('a.b', `cart:${i}`) / 1000)]! += 1;
    for (const n of perDecile) expect(Math.abs(n - 10_000)).toBeLessThan(400);
  });
});

describe('decide: modes', () => {
  const inside = (r: RouteConfig) => {
    for (let i = 0; ; i += 1) if (decide(r, cart(`x${i}`)).bucket < percentThreshold(r.shadowPercent)) return cart(`x${i}`);
  };
  const outside = (r: RouteConfig) => {
    for (let i = 0; ; i += 1) if (decide(r, cart(`x${i}`)).bucket >= percentThreshold(r.shadowPercent)) return cart(`x${i}`);
  };

  it('monolith: the monolith answers, nothing is shadowed', () => {
    const r = route({ mode: 'monolith', shadowPercent: 100 });
    expect(decide(r, cart('a'))).toMatchObject({ mode: 'monolith', primary: 'monolith', shadow: false, fallbackToMonolith: false });
  });

  it('shadow: the monolith answers; the module is shadowed inside the percentage', () => {
    const r = route({ mode: 'shadow', shadowPercent: 20 });
    expect(decide(r, inside(r))).toMatchObject({ primary: 'monolith', shadow: true, fallbackToMonolith: false });
    expect(decide(r, outside(r))).toMatchObject({ primary: 'monolith', shadow: false });
    expect(decide(route({ mode: 'shadow', shadowPercent: 0 }), cart('a')).shadow).toBe(false);
  });

  it('module-primary: the module answers inside the percentage with fallback; everyone is compared', () => {
    const r = route({ mode: 'module-primary', shadowPercent: 20 });
    expect(decide(r, inside(r))).toMatchObject({ primary: 'module', shadow: true, fallbackToMonolith: true });
    expect(decide(r, outside(r))).toMatchObject({ primary: 'monolith', shadow: true, fallbackToMonolith: false });
  });

  it('module-only: the module answers alone, without fallback', () => {
    const r = route({ mode: 'module-only', shadowPercent: 0 });
    expect(decide(r, cart('a'))).toMatchObject({ primary: 'module', shadow: false, fallbackToMonolith: false });
  });
});

describe('segments', () => {
  it('serves requests outside every segment as monolith, whatever the mode', () => {
    const r = route({ mode: 'module-only', segments: [{ type: 'shop', domains: ['b2b.myshopify.com'] }] });
    expect(decide(r, cart('a', { shopDomain: 'retail.myshopify.com' }))).toMatchObject({
      mode: 'monolith',
      primary: 'monolith',
      shadow: false,
      segment: undefined,
    });
    expect(decide(r, cart('a', { shopDomain: 'B2B.myshopify.com' }))).toMatchObject({ mode: 'module-only', primary: 'module', segment: 'shop#0' });
  });

  it('matches each kind of segment', () => {
    const r = route({
      segments: [
        { type: 'companyLocation', ids: ['loc-1'] },
        { type: 'customer', ids: ['cust-9'] },
        { type: 'customerTag', name: 'wholesale', tags: ['Wholesale'] },
        { type: 'header', header: 'X-Canary', value: 'on' },
        { type: 'header', name: 'k6', header: 'user-agent', pattern: '^k6/' },
        { type: 'cartBucket', name: 'cohort', from: 0, to: 5000 },
      ],
    });
    const key = (context: RequestContext) => matchSegment(r.segments, context)?.key;
    expect(key({ requestId: 'r', companyLocationId: 'loc-1' })).toBe('companyLocation#0');
    expect(key({ requestId: 'r', customerId: 'cust-9' })).toBe('customer#1');
    expect(key({ requestId: 'r', customerTags: ['vip', ' wholesale '] })).toBe('wholesale');
    expect(key({ requestId: 'r', headers: { 'x-canary': 'on' } })).toBe('header#3');
    expect(key({ requestId: 'r', headers: { 'X-Canary': ['off', 'on'] } })).toBe('header#3');
    expect(key({ requestId: 'r', headers: { 'x-canary': 'off' } })).toBeUndefined();
    expect(key({ requestId: 'r', headers: { 'user-agent': 'k6/0.50' } })).toBe('k6');
    expect(key({ requestId: 'r', customerId: 'other', customerTags: [] })).toBeUndefined();

    let inCohort = 0;
    for (let i = 0; i < 10_000; i += 1) {
      const token = `t${i}`;
      const matched = key(cart(token));
      expect(matched === 'cohort').toBe(cohortBucket(token) < 5000);
      if (matched) inCohort += 1;
    }
    expect(Math.abs(inCohort - 5000)).toBeLessThan(250);
    expect(key({ requestId: 'no-cart' })).toBeUndefined();
  });

  it('uses the first matching segment', () => {
    const r = route({ segments: [{ type: 'customer', ids: ['1'] }, { type: 'customerTag', tags: ['vip'] }] });
    expect(matchSegment(r.segments, { requestId: 'r', customerId: '1', customerTags: ['vip'] })).toEqual({ index: 0, key: 'customer#0' });
  });

  it('applies the percentage within the segment, independently of the cohort bucket', () => {
    const r = route({ mode: 'shadow', shadowPercent: 50, segments: [{ type: 'cartBucket', from: 0, to: 2000 }] });
    let inSegment = 0;
    let shadowed = 0;
    for (let i = 0; i < 20_000; i += 1) {
      const decision = decide(r, cart(`s${i}`));
      if (decision.segment) inSegment += 1;
      if (decision.shadow) shadowed += 1;
    }
    expect(shadowed / inSegment).toBeGreaterThan(0.45);
    expect(shadowed / inSegment).toBeLessThan(0.55);
  });
});

describe('the client a decision counts as (for promotion)', () => {
  it('is the sticky cart or customer key, and one anonymous client for every request keyed by its request id', () => {
    const r = route({ mode: 'shadow', shadowPercent: 100 });
    expect(decide(r, cart('tok-1')).client).toBe('cart:tok-1');
    expect(decide(r, { requestId: 'a', customerId: '7' }).client).toBe('customer:7');
    expect([decide(r, { requestId: 'a' }).client, decide(r, { requestId: 'b' }).client]).toEqual([ANONYMOUS_CLIENT, ANONYMOUS_CLIENT]);
  });
});
