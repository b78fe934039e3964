import { classify, classifyExtra, deletionVersion, ModuleIndex, needsCorrection } from './diff';

const shopify = (updatedAt: string, value: string) => ({ kind: 'level', key: '1:1', updatedAt, value });
const held = (updatedAt: string, value: string, triggeredAt = updatedAt) => ({ kind: 'level', key: '1:1', updatedAt, value, triggeredAt });

describe('classify', () => {
  it('sorts each row into missing, stale, newer, mismatch or in sync', () => {
    expect(classify(shopify('2026-01-01T10:00:05Z', '4'), undefined)).toBe('missing');
    expect(classify(shopify('2026-01-01T10:00:05Z', '4'), held('2026-01-01T10:00:01Z', '4'))).toBe('in_sync');
    expect(classify(shopify('2026-01-01T10:00:05Z', '4'), held('2026-01-01T10:00:01Z', '5'))).toBe('stale');
    expect(classify(shopify('2026-01-01T10:00:05Z', '4'), held('2026-01-01T10:00:09Z', '5'))).toBe('newer');
  });

  it('treats another value in the same second as a missed change, unless the row was written after that second', () => {
    // Shopify's updated_at has one-second precision: two changes at 10:00:05.2 and 10:00:05.7 share it.
    expect(classify(shopify('2026-01-01T10:00:05Z', '4'), held('2026-01-01T10:00:05.000000Z', '5', '2026-01-01T10:00:05.200000Z'))).toBe('stale');
    // A snapshot as of 10:01 wrote this row: it saw the end of that second, so a different value is a bug.
    expect(classify(shopify('2026-01-01T10:00:05Z', '4'), held('2026-01-01T10:00:05.000000Z', '5', '2026-01-01T10:01:00.000000Z'))).toBe('mismatch');
  });

  it('publishes only what the module lacks or holds wrongly', () => {
    expect(['missing', 'stale', 'mismatch', 'newer', 'in_sync'].map((v) => needsCorrection(v as never))).toEqual([true, true, true, false, false]);
  });
});

describe('ModuleIndex', () => {
  it('hands each row out once and then what Shopify never mentioned', () => {
    const index = new ModuleIndex();
    index.add({ kind: 'level', key: '1:1', updatedAt: 'u', triggeredAt: 't', value: 'a|b' });
    index.add({ kind: 'level', key: '1:2', updatedAt: 'u', triggeredAt: 't', value: '3' });
    index.add({ kind: 'item', key: '1', updatedAt: 'u', triggeredAt: 't', value: 'x' });
    expect(index.take({ kind: 'level', key: '1:1' })).toEqual({ kind: 'level', key: '1:1', updatedAt: 'u', triggeredAt: 't', value: 'a|b' });
    expect(index.take({ kind: 'level', key: '1:1' })).toBeUndefined();
    expect([...index.remaining()]).toEqual([
      { kind: 'level', key: '1:2', updatedAt: 'u', triggeredAt: 't', value: '3' },
      { kind: 'item', key: '1', updatedAt: 'u', triggeredAt: 't', value: 'x' },
    ]);
    expect(index.size).toBe(0);
  });
});

describe('extras', () => {
  const asOf = '2026-01-01T10:00:05.500Z';

  it('versions a deletion by the second of the snapshot (Shopify timestamps have no fraction), ordered by the snapshot itself', () => {
    expect(deletionVersion(asOf)).toBe('2026-01-01T10:00:05Z');
    expect(deletionVersion('2026-01-01T10:00:05Z')).toBe('2026-01-01T10:00:05Z');
  });

  it('deletes only rows older than the snapshot: a webhook after it began keeps its row', () => {
    expect(classifyExtra(held('2026-01-01T10:00:01Z', '4'), asOf)).toBe('extra');
    // Written before the snapshot began, in its second.
    expect(classifyExtra(held('2026-01-01T10:00:05.000000Z', '4', '2026-01-01T10:00:05.200000Z'), asOf)).toBe('extra');
    // Created just after the snapshot began: Shopify's updated_at is that second, its webhook's triggered-at later.
    expect(classifyExtra(held('2026-01-01T10:00:05.000000Z', '4', '2026-01-01T10:00:05.800000Z'), asOf)).toBe('newer');
    expect(classifyExtra(held('2026-01-01T10:00:06Z', '4'), asOf)).toBe('newer');
  });
});
