import { DEFAULT_RAMP, compareSteps, currentStep, routeConfigSchema, withStep } from './route-config';

describe('routeConfigSchema', () => {
  it('fills every default from a name alone', () => {
    const route = routeConfigSchema.parse({ name: 'inventory.check' });
    expect(route).toMatchObject({
      name: 'inventory.check',
      mode: 'monolith',
      shadowPercent: 0,
      segments: [],
      timeouts: { primaryMs: 5000, shadowMs: 2000 },
      ramp: DEFAULT_RAMP,
      frozen: false,
      version: 0,
      noise: { enabled: false, sampleRate: 0.01, minObservations: 20, minDifferences: 5, minRatio: 0.25 },
      tokenMigration: 'none',
      guards: {
        promotion: { enabled: true, minSamples: 10_000, windowSeconds: 3600, minMatchRate: 0.9999, cooldownSeconds: 300 },
        rollback: { enabled: true, minSamples: 100, windowSeconds: 60, maxErrorRate: 0.01, maxMismatchRate: 0.01, maxP99Ms: 1000 },
      },
    });
    expect(route.comparison).toMatchObject({ ignore: [], compareStatus: true, maxDiffs: 20 });
  });

  it('accepts every kind of segment and a comparison spec', () => {
    const route = routeConfigSchema.parse({
      name: 'pricing.quote',
      mode: 'shadow',
      shadowPercent: 12.5,
      segments: [
        { type: 'shop', domains: ['demo.myshopify.com'] },
        { type: 'companyLocation', ids: ['gid://shopify/CompanyLocation/1'] },
        { type: 'customer', ids: ['42'] },
        { type: 'customerTag', name: 'wholesale', tags: ['Wholesale'] },
        { type: 'header', header: 'X-Canary', value: '1' },
        { type: 'header', header: 'user-agent', pattern: '^k6/' },
        { type: 'cartBucket', from: 0, to: 100 },
      ],
      comparison: { ignore: ['$.quotedAt'], tolerance: [{ path: 'lines[*].price', absolute: 0.005 }] },
    });
    expect(route.segments).toHaveLength(7);
    expect(route.comparison.ignore).toEqual(['$.quotedAt']);
  });

  it.each([
    ['a bad name', { name: 'Inventory' }],
    ['an unknown mode', { name: 'a.b', mode: 'canary' }],
    ['a percent above 100', { name: 'a.b', shadowPercent: 101 }],
    ['a percent finer than a bucket', { name: 'a.b', shadowPercent: 0.005 }],
    ['an empty bucket range', { name: 'a.b', segments: [{ type: 'cartBucket', from: 10, to: 10 }] }],
    ['a header with value and pattern', { name: 'a.b', segments: [{ type: 'header', header: 'x', value: '1', pattern: '1' }] }],
    ['a broken regex', { name: 'a.b', segments: [{ type: 'header', header: 'x', pattern: '(' }] }],
    ['a ramp going backwards', { name: 'a.b', ramp: [{ mode: 'shadow', percent: 50 }, { mode: 'shadow', percent: 10 }] }],
    ['module-only below 100%', { name: 'a.b', ramp: [{ mode: 'module-only', percent: 50 }] }],
    ['monolith as a ramp step', { name: 'a.b', ramp: [{ mode: 'monolith', percent: 0 }] }],
    ['an invalid comparison path', { name: 'a.b', comparison: { ignore: ['a['] } }],
    ['a negative version', { name: 'a.b', version: -1 }],
    ['a noise sample rate above 1', { name: 'a.b', noise: { sampleRate: 2 } }],
    ['an unknown token migration', { name: 'a.b', tokenMigration: 'rot13' }],
  ])('rejects %s', (_label, input) => {
    expect(routeConfigSchema.safeParse(input).success).toBe(false);
  });

  it('gives every route its own copy of the default ramp', () => {
    const a = routeConfigSchema.parse({ name: 'a.b' });
    a.ramp[0]!.percent = 5;
    expect(routeConfigSchema.parse({ name: 'a.b' }).ramp[0]!.percent).toBe(1);
  });
});

describe('steps', () => {
  it('orders by mode, then percent', () => {
    expect(compareSteps({ mode: 'shadow', percent: 100 }, { mode: 'module-primary', percent: 1 })).toBeLessThan(0);
    expect(compareSteps({ mode: 'shadow', percent: 10 }, { mode: 'shadow', percent: 1 })).toBeGreaterThan(0);
    expect(compareSteps({ mode: 'monolith', percent: 0 }, { mode: 'shadow', percent: 0 })).toBeLessThan(0);
  });

  it('reads the current step from mode and percent', () => {
    expect(currentStep({ mode: 'monolith', shadowPercent: 30 })).toEqual({ mode: 'monolith', percent: 0 });
    expect(currentStep({ mode: 'shadow', shadowPercent: 30 })).toEqual({ mode: 'shadow', percent: 30 });
    expect(currentStep({ mode: 'module-only', shadowPercent: 0 })).toEqual({ mode: 'module-only', percent: 100 });
  });
});

describe('withStep', () => {
  it('sets mode and percent, pinning monolith to 0% and module-only to 100%', () => {
    const route = routeConfigSchema.parse({ name: 'a.b', mode: 'shadow', shadowPercent: 10 });
    expect(withStep(route, { mode: 'module-primary', percent: 50 })).toMatchObject({ mode: 'module-primary', shadowPercent: 50, version: 0 });
    expect(withStep(route, { mode: 'monolith', percent: 0 })).toMatchObject({ mode: 'monolith', shadowPercent: 0 });
    expect(withStep(route, { mode: 'module-only', percent: 100 })).toMatchObject({ mode: 'module-only', shadowPercent: 100 });
  });
});
