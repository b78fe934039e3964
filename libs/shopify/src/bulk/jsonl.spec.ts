import { groupBulkObjects, jsonlLines } from './jsonl';

async function* chunks(...parts: Array<string | Uint8Array>) {
  for (const part of parts) yield typeof part === 'string' ? new TextEncoder().encode(part) : part;
}

async function collect<T>(iterable: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = [];
  for await (const item of iterable) out.push(item);
  return out;
}

describe('JSONL streaming', () => {
  it('splits lines across chunk boundaries, multi-byte characters included, and skips blank lines', async () => {
    const euro = new TextEncoder().encode('{"t":"€"}\n');
    const lines = await collect(jsonlLines(chunks('{"a":1}\n{"b"', ':2}\n\n', euro.slice(0, 7), euro.slice(7), '{"c":3}')));
    expect(lines).toEqual([{ a: 1 }, { b: 2 }, { t: '€' }, { c: 3 }]);
  });

  it('reads a web ReadableStream and names a bad line', async () => {
    const stream = new Response('{"a":1}\nnot json\n').body!;
    await expect(collect(jsonlLines(stream))).rejects.toThrow(/line 2/);
  });

  it('re-attaches children and grandchildren by __parentId, yielding one tree at a time', async () => {
    async function* lines() {
      yield { id: 'P1', title: 'a' };
      yield { id: 'V1', __parentId: 'P1' };
      yield { id: 'L1', __parentId: 'V1' };
      yield { id: 'V2', __parentId: 'P1' };
      yield { id: 'P2', title: 'b' };
    }
    const trees = await collect(groupBulkObjects(lines()));
    expect(trees).toEqual([
      { id: 'P1', title: 'a', __children: [{ id: 'V1', __children: [{ id: 'L1' }] }, { id: 'V2' }] },
      { id: 'P2', title: 'b' },
    ]);
  });

  it('refuses an ungrouped file', async () => {
    async function* lines() {
      yield { id: 'P1' };
      yield { id: 'P2' };
      yield { id: 'V1', __parentId: 'P1' };
    }
    await expect(collect(groupBulkObjects(lines()))).rejects.toThrow(/not grouped/);
  });
});
