import { FACT_STATEMENTS, SNAPSHOT_MARK_AS_OF, UPSERT_SNAPSHOT_MARK } from './projection.sql';

const oneLine = (text: string) => text.replace(/\s+/g, ' ').trim();

describe('the as_of-guarded statements', () => {
  it('insert keys, columns and as_of in that order and update every non-key column over an older as_of only', () => {
    const { upsert, asOf } = FACT_STATEMENTS.fixed_price;
    expect(upsert.name).toBe('pricing_upsert_fixed_price');
    expect(oneLine(upsert.text)).toBe(
      'INSERT INTO pricing_fixed_prices AS t (price_list_id, variant_id, price, compare_at_price, breaks, deleted, as_of) VALUES ($1, $2, $3, $4, $5, $6, $7) ' +
        'ON CONFLICT (price_list_id, variant_id) DO UPDATE SET price = EXCLUDED.price, compare_at_price = EXCLUDED.compare_at_price, breaks = EXCLUDED.breaks, ' +
        'deleted = EXCLUDED.deleted, as_of = EXCLUDED.as_of, applied_at = clock_timestamp() WHERE t.as_of < EXCLUDED.as_of RETURNING 1 AS applied',
    );
    expect(asOf).toEqual({ name: 'pricing_as_of_fixed_price', text: 'SELECT as_of = $3::timestamptz AS same FROM pricing_fixed_prices WHERE price_list_id = $1 AND variant_id = $2' });
  });

  it('give every statement its own prepared-statement name', () => {
    const all = [...Object.values(FACT_STATEMENTS).flatMap(({ upsert, asOf }) => [upsert, asOf]), UPSERT_SNAPSHOT_MARK, SNAPSHOT_MARK_AS_OF];
    expect(new Set(all.map((statement) => statement.name)).size).toBe(all.length);
    expect(oneLine(UPSERT_SNAPSHOT_MARK.text)).toContain('(partition, partitions, as_of) VALUES ($1, $2, $3) ON CONFLICT (partition) DO UPDATE SET partitions = EXCLUDED.partitions, as_of');
  });
});
