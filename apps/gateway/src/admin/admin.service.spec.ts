import { deepMerge } from './admin.service';

describe('deepMerge (PATCH semantics)', () => {
  it('merges objects key by key and replaces arrays and values', () => {
    const base = { mode: 'shadow', guards: { rollback: { minSamples: 100, windowSeconds: 60 }, promotion: { enabled: true } }, segments: [{ type: 'shop' }] };
    expect(deepMerge(base, { guards: { rollback: { minSamples: 20 } }, segments: [] })).toEqual({
      mode: 'shadow',
      guards: { rollback: { minSamples: 20, windowSeconds: 60 }, promotion: { enabled: true } },
      segments: [],
    });
  });

  it('never follows __proto__ or constructor from a request body', () => {
    const merged = deepMerge({ guards: {} }, JSON.parse('{"__proto__": {"polluted": true}, "guards": {"constructor": {"x": 1}}}')) as Record<string, unknown>;
    expect(({} as Record<string, unknown>)['polluted']).toBeUndefined();
    expect(merged['polluted']).toBeUndefined();
    expect(Object.keys(merged['guards'] as object)).toEqual([]);
  });
});
