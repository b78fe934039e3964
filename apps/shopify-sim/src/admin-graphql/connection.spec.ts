import { arraySpace, decodeCursor, encodeCursor, paginate } from './connection';
import { matcher } from './search';

const items = Array.from({ length: 10 }, (_, i) => ({ id: (i + 1) * 10, even: i % 2 === 0 }));

describe('connections', () => {
  it('encodes Shopify-shaped cursors', () => {
    expect(JSON.parse(Buffer.from(encodeCursor(42), 'base64').toString())).toEqual({ last_id: 42, last_value: '42' });
    expect(decodeCursor(encodeCursor(42))).toBe(42);
    expect(() => decodeCursor('garbage')).toThrow(/Invalid cursor/);
  });

  it('pages forward with after, backward with last/before, and reversed', () => {
    const space = arraySpace(items);
    const first = paginate(space, { first: 3 });
    expect(first.nodes.map((n) => n.id)).toEqual([10, 20, 30]);
    expect(first.pageInfo).toMatchObject({ hasNextPage: true, hasPreviousPage: false });
    const second = paginate(space, { first: 3, after: first.pageInfo.endCursor });
    expect(second.nodes.map((n) => n.id)).toEqual([40, 50, 60]);
    expect(paginate(space, { first: 10, after: encodeCursor(95) }).nodes.map((n) => n.id)).toEqual([100]);
    const last = paginate(space, { last: 2, before: encodeCursor(50) });
    expect(last.nodes.map((n) => n.id)).toEqual([30, 40]);
    expect(last.pageInfo.hasPreviousPage).toBe(true);
    expect(paginate(space, { first: 2, reverse: true }).nodes.map((n) => n.id)).toEqual([100, 90]);
    const end = paginate(space, { first: 5, after: encodeCursor(80) });
    expect(end.nodes.map((n) => n.id)).toEqual([90, 100]);
    expect(end.pageInfo.hasNextPage).toBe(false);
    expect(end.edges[0]).toEqual({ cursor: encodeCursor(90), node: items[8] });
  });

  it('filters with the search syntax', () => {
    const include = matcher<{ id: number; even: boolean }>('id:>=30 even:true', { id: (i) => i.id, even: (i) => i.even });
    expect(paginate(arraySpace(items, include), { first: 10 }).nodes.map((n) => n.id)).toEqual([30, 50, 70, 90]);
    expect(matcher('unknown:1', { id: (i: { id: number }) => i.id })).toBeUndefined();
  });
});
