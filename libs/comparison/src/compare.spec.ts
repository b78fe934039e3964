import type { ResponseSide } from './body';
import { Comparator, type ComparisonResult, STATUS_PATH, compareResponses, sideFailed } from './compare';
import { type ComparisonSpecInput, comparisonSpecSchema, withIgnoredPaths } from './spec';

const ok = (body: unknown, status = 200): ResponseSide => ({ status, body });
const compare = (primary: unknown, shadow: unknown, spec: ComparisonSpecInput = {}): ComparisonResult =>
  Comparator.fromSpec(spec).compare(ok(primary), ok(shadow));
const paths = (result: ComparisonResult) => result.diffs.map((d) => d.path);

describe('compareResponses: basics', () => {
  it('matches identical bodies regardless of key order', () => {
    const result = compare({ a: 1, b: [1, 2, { c: 'x' }] }, { b: [1, 2, { c: 'x' }], a: 1 });
    expect(result).toEqual({ outcome: 'match', diffs: [], omittedDiffs: 0 });
  });

  it('reports changed, missing, extra and type diffs with paths and values', () => {
    const result = compare(
      { lines: [{ available: 3, sku: 'A' }], gone: true, kind: 1 },
      { lines: [{ available: 2, sku: 'A' }], added: null, kind: '1' },
    );
    expect(result.outcome).toBe('mismatch');
    expect(result.diffs).toEqual([
      { path: '$.lines[0].available', kind: 'changed', primary: '3', shadow: '2' },
      { path: '$.gone', kind: 'missing', primary: 'true' },
      { path: '$.kind', kind: 'type', primary: '1', shadow: '"1"' },
      { path: '$.added', kind: 'extra', shadow: 'null' },
    ]);
  });

  it('reports a whole missing subtree once, not per leaf', () => {
    const result = compare({ a: { b: { c: 1, d: 2 } } }, { a: {} });
    expect(result.diffs).toEqual([{ path: '$.a.b', kind: 'missing', primary: '{"c":1,"d":2}' }]);
  });

  it('compares arrays by position by default, reporting surplus elements', () => {
    const result = compare([1, 2, 3], [1, 3]);
    expect(result.diffs.map((d) => [d.path, d.kind])).toEqual([
      ['$[1]', 'changed'],
      ['$[2]', 'missing'],
    ]);
  });

  it('treats an undefined property as absent, like JSON', () => {
    expect(compare({ a: 1, b: undefined }, { a: 1 }).outcome).toBe('match');
  });

  it('quotes keys that are not identifiers', () => {
    expect(paths(compare({ 'a.b': 1, 'x y': [0] }, { 'a.b': 2, 'x y': [1] }))).toEqual(['$["a.b"]', '$["x y"][0]']);
  });
});

describe('status', () => {
  it('reports a status mismatch and still compares bodies', () => {
    const result = compareResponses(ok({ a: 1 }, 200), ok({ a: 2 }, 503));
    expect(result.outcome).toBe('mismatch');
    expect(result.diffs[0]).toEqual({ path: STATUS_PATH, kind: 'status', primary: '200', shadow: '503' });
    expect(paths(result)).toEqual([STATUS_PATH, '$.a']);
  });

  it('ignores the status when compareStatus is false', () => {
    expect(compareResponses(ok({ a: 1 }, 200), ok({ a: 1 }, 201), { compareStatus: false }).outcome).toBe('match');
  });
});

describe('ignore', () => {
  const primary = { id: 1, meta: { requestId: 'r1', at: 1 }, lines: [{ sku: 'A', at: 't1' }, { sku: 'B', at: 't2' }] };
  const shadow = { id: 1, meta: { requestId: 'r2', at: 1 }, lines: [{ sku: 'A', at: 't3' }, { sku: 'B', at: 't4' }] };

  it('ignores a path and everything below it', () => {
    expect(paths(compare(primary, shadow, { ignore: ['$.meta'] }))).toEqual(['$.lines[0].at', '$.lines[1].at']);
    expect(paths(compare(primary, shadow, { ignore: ['meta.requestId'] }))).toEqual(['$.lines[0].at', '$.lines[1].at']);
  });

  it('supports [*], * and ** wildcards', () => {
    expect(compare(primary, shadow, { ignore: ['$.meta.requestId', 'lines[*].at'] }).outcome).toBe('match');
    expect(compare(primary, shadow, { ignore: ['*.requestId', 'lines.*.at'] }).outcome).toBe('match');
    expect(compare(primary, shadow, { ignore: ['**.requestId', '**.at'] }).outcome).toBe('match');
  });

  it('ignores one array element by position only', () => {
    expect(paths(compare(primary, shadow, { ignore: ['$.meta', 'lines[0].at'] }))).toEqual(['$.lines[1].at']);
  });

  it('ignores a field present on one side only', () => {
    expect(compare({ a: 1, debug: 'x' }, { a: 1 }, { ignore: ['debug'] }).outcome).toBe('match');
  });

  it('merges learned noise into ignore', () => {
    const spec = withIgnoredPaths({ ignore: ['$.meta'] }, ['$.lines[*].at', '$.meta']);
    expect(spec.ignore).toEqual(['$.meta', '$.lines[*].at']);
    expect(compare(primary, shadow, spec).outcome).toBe('match');
  });
});

describe('numbers and tolerance', () => {
  it('absorbs floating-point noise on money by default', () => {
    expect(compare({ total: 19.99 }, { total: 19.990000000000002 }).outcome).toBe('match');
    expect(compare({ total: 0.1 + 0.2 }, { total: 0.3 }).outcome).toBe('match');
    expect(compare({ total: 19.99 }, { total: 19.98 }).outcome).toBe('mismatch');
  });

  it('never lets integers that differ by one match by default', () => {
    expect(compare({ id: 123456789012345 }, { id: 123456789012346 }).outcome).toBe('mismatch');
  });

  it('applies absolute tolerance by path, e.g. half a cent for EUR', () => {
    const spec = { tolerance: [{ path: 'lines[*].price', absolute: 0.005 }] };
    expect(compare({ lines: [{ price: 19.99 }] }, { lines: [{ price: 19.994 }] }, spec).outcome).toBe('match');
    expect(compare({ lines: [{ price: 19.99 }] }, { lines: [{ price: 20.0 }] }, spec).outcome).toBe('mismatch');
    // Only the configured path is tolerant.
    expect(compare({ other: 19.99 }, { other: 19.994 }, spec).outcome).toBe('mismatch');
  });

  it('compares a full minor unit exactly at the boundary despite binary fractions', () => {
    const spec = { tolerance: [{ path: 'price', absolute: 0.01 }] };
    expect(compare({ price: 0.29 }, { price: 0.3 }, spec).outcome).toBe('match'); // |diff| is 0.010000000000000009
    expect(compare({ price: 0.28 }, { price: 0.3 }, spec).outcome).toBe('mismatch');
  });

  it('compares minor units (integers) exactly unless told otherwise', () => {
    expect(compare({ cents: 1999 }, { cents: 1999 }).outcome).toBe('match');
    expect(compare({ cents: 1999 }, { cents: 2000 }).outcome).toBe('mismatch');
    expect(compare({ cents: 1999 }, { cents: 2000 }, { tolerance: [{ path: 'cents', absolute: 1 }] }).outcome).toBe('match');
  });

  it('applies relative tolerance and a default tolerance', () => {
    expect(compare({ rate: 100 }, { rate: 100.5 }, { tolerance: [{ path: 'rate', relative: 0.01 }] }).outcome).toBe('match');
    expect(compare({ rate: 100 }, { rate: 102 }, { tolerance: [{ path: 'rate', relative: 0.01 }] }).outcome).toBe('mismatch');
    expect(compare({ a: 1, b: [2] }, { a: 1.05, b: [2.05] }, { defaultTolerance: { absolute: 0.1 } }).outcome).toBe('match');
  });

  it("takes the absolute bound of the body's currency when the rule has one for it", () => {
    const spec = { tolerance: [{ path: 'total', absolute: 0.005, byCurrency: { field: 'currency', absolute: { JPY: 0.5 } } }] };
    expect(compare({ currency: 'JPY', total: 1699.15 }, { currency: 'JPY', total: 1699 }, spec).outcome).toBe('match');
    expect(compare({ currency: 'JPY', total: 1699.6 }, { currency: 'JPY', total: 1699 }, spec).outcome).toBe('mismatch');
    // A currency the rule does not list, or a body without one, keeps `absolute`.
    expect(compare({ currency: 'USD', total: 16.994 }, { currency: 'USD', total: 16.99 }, spec).outcome).toBe('match');
    expect(compare({ currency: 'USD', total: 1699.15 }, { currency: 'USD', total: 1699 }, spec).outcome).toBe('mismatch');
    expect(compare({ total: 1699.15 }, { total: 1699 }, spec).outcome).toBe('mismatch');
    expect(comparisonSpecSchema.safeParse({ tolerance: [{ path: 'a', absolute: 1, byCurrency: { field: 'currency', absolute: { yen: 1 } } }] }).success).toBe(false);
  });

  it('the first matching tolerance rule wins', () => {
    const spec = { tolerance: [{ path: 'a.b', absolute: 0 }, { path: '**.b', absolute: 1 }] };
    expect(paths(compare({ a: { b: 1 }, c: { b: 1 } }, { a: { b: 1.5 }, c: { b: 1.5 } }, spec))).toEqual(['$.a.b']);
  });

  it('treats NaN as NaN, -0 as 0 and Infinity as itself', () => {
    expect(compare({ a: Number.NaN, b: -0, c: Infinity }, { a: Number.NaN, b: 0, c: Infinity }).outcome).toBe('match');
    expect(compare({ c: Infinity }, { c: -Infinity }).outcome).toBe('mismatch');
    expect(compare({ a: Number.NaN }, { a: 0 }).diffs[0]).toMatchObject({ primary: 'NaN', shadow: '0' });
  });

  it('keeps integers beyond 2^53 exact when parsing raw JSON', () => {
    const body = (id: string) => ({ status: 200, body: `{"id":${id}}`, contentType: 'application/json' });
    const differing = compareResponses(body('12345678901234567890'), body('12345678901234567891'));
    expect(differing.outcome).toBe('mismatch');
    expect(differing.diffs[0]).toMatchObject({ primary: '12345678901234567890', shadow: '12345678901234567891' });
    expect(compareResponses(body('12345678901234567890'), body('12345678901234567890')).outcome).toBe('match');
    expect(compare({ id: 2n ** 60n }, { id: 2 ** 60 }).outcome).toBe('match');
  });
});

describe('arrays as sets', () => {
  const primary = { lines: [{ id: 1, qty: 2 }, { id: 2, qty: 5 }, { id: 3, qty: 1 }] };

  it('matches reordered elements by key', () => {
    const shadow = { lines: [{ id: 3, qty: 1 }, { id: 1, qty: 2 }, { id: 2, qty: 5 }] };
    expect(compare(primary, shadow).outcome).toBe('mismatch');
    expect(compare(primary, shadow, { arraysAsSets: [{ path: 'lines', key: 'id' }] }).outcome).toBe('match');
  });

  it('names elements by key in diff paths and reports missing and extra ones', () => {
    const shadow = { lines: [{ id: 4, qty: 1 }, { id: 2, qty: 4 }, { id: 1, qty: 2 }] };
    const result = compare(primary, shadow, { arraysAsSets: [{ path: '$.lines', key: 'id' }] });
    expect(result.diffs).toEqual([
      { path: '$.lines[id=2].qty', kind: 'changed', primary: '5', shadow: '4' },
      { path: '$.lines[id=3]', kind: 'missing', primary: '{"id":3,"qty":1}' },
      { path: '$.lines[id=4]', kind: 'extra', shadow: '{"id":4,"qty":1}' },
    ]);
  });

  it('pairs repeated keys in order and lets ignore rules use keyed paths', () => {
    const p = { lines: [{ sku: 'A', n: 1 }, { sku: 'A', n: 2 }] };
    const s = { lines: [{ sku: 'A', n: 1 }, { sku: 'A', n: 3 }] };
    const spec = { arraysAsSets: [{ path: 'lines', key: 'sku' }] };
    expect(paths(compare(p, s, spec))).toEqual(['$.lines[sku="A"#2].n']);
    expect(compare(p, s, { ...spec, ignore: ['$.lines[sku="A"#2].n'] }).outcome).toBe('match');
  });

  it('matches by deep value without a key', () => {
    const spec = { arraysAsSets: [{ path: 'tags' }, { path: 'items' }] };
    expect(compare({ tags: ['a', 'b', 'b'] }, { tags: ['b', 'a', 'b'] }, spec).outcome).toBe('match');
    expect(compare({ items: [{ x: 1, y: [1] }, { x: 2 }] }, { items: [{ x: 2 }, { y: [1], x: 1 }] }, spec).outcome).toBe('match');
    expect(compare({ tags: ['a', 'b', 'b'] }, { tags: ['a', 'b'] }, spec).diffs).toEqual([{ path: '$.tags[2]', kind: 'missing', primary: '"b"' }]);
  });

  it('compares unpaired elements field by field, with tolerance and ignores', () => {
    const spec: ComparisonSpecInput = {
      arraysAsSets: [{ path: 'items' }],
      tolerance: [{ path: 'items[*].price', absolute: 0.005 }],
      ignore: ['items[*].at'],
    };
    const p = { items: [{ sku: 'A', price: 1.0, at: 1 }, { sku: 'B', price: 2.0, at: 2 }] };
    expect(compare(p, { items: [{ sku: 'B', price: 2.0, at: 9 }, { sku: 'A', price: 1.001, at: 8 }] }, spec).outcome).toBe('match');
    const changed = compare(p, { items: [{ sku: 'B', price: 2.0 }, { sku: 'A', price: 1.5 }] }, spec);
    expect(changed.diffs).toEqual([{ path: '$.items[0].price', kind: 'changed', primary: '1', shadow: '1.5' }]);
  });
});

describe('transforms', () => {
  it('normalises strings and numbers on both sides before comparing', () => {
    const spec: ComparisonSpecInput = {
      transforms: [
        { path: 'email', op: 'trim' },
        { path: 'email', op: 'lowercase' },
        { path: 'price', op: 'round:2' },
        { path: 'qty', op: 'toNumber' },
        { path: 'code', op: 'toString' },
      ],
    };
    const result = compare(
      { email: ' Ann@Example.com ', price: 19.994, qty: '3', code: 7 },
      { email: 'ann@example.com', price: 19.99, qty: 3, code: '7' },
      spec,
    );
    expect(result.outcome).toBe('match');
  });

  it('sorts arrays and drops nulls', () => {
    const spec: ComparisonSpecInput = { transforms: [{ path: 'tags', op: 'sortArray' }, { path: 'opt', op: 'dropNulls' }] };
    expect(compare({ tags: ['b', 'a'], opt: { a: 1, b: null } }, { tags: ['a', 'b'], opt: { a: 1 } }, spec).outcome).toBe('match');
    expect(compare({ opt: [1, null, 2] }, { opt: [1, 2] }, spec).outcome).toBe('match');
  });

  it('leaves values of other types alone and does not touch the caller’s objects', () => {
    const primary = { email: 42, nested: { email: 'X' } };
    const result = compare(primary, { email: 42, nested: { email: 'x' } }, { transforms: [{ path: '**.email', op: 'lowercase' }] });
    expect(result.outcome).toBe('match');
    expect(primary.nested.email).toBe('X');
  });

  it('applies to a text body at $', () => {
    const text = (body: string) => ({ status: 200, body, contentType: 'text/plain' });
    expect(compareResponses(text('OK\n'), text('ok'), { transforms: [{ path: '$', op: 'trim' }, { path: '$', op: 'lowercase' }] }).outcome).toBe(
      'match',
    );
  });
});

describe('bodies and content types', () => {
  const json = '{"a":[1,2],"b":"x"}';

  it('parses JSON from strings and Buffers with a JSON content type', () => {
    const fromBuffer = { status: 200, body: Buffer.from(json), contentType: 'application/json; charset=utf-8' };
    const fromString = { status: 200, body: json, contentType: 'application/vnd.api+json' };
    expect(compareResponses(fromBuffer, fromString).outcome).toBe('match');
    expect(compareResponses(fromBuffer, ok({ b: 'x', a: [1, 2] })).outcome).toBe('match');
  });

  it('compares non-JSON bodies as text', () => {
    const html = (body: string) => ({ status: 200, body: Buffer.from(body), contentType: 'text/html' });
    expect(compareResponses(html('<p>a</p>'), html('<p>a</p>')).outcome).toBe('match');
    expect(compareResponses(html('<p>a</p>'), html('<p>b</p>')).diffs).toEqual([
      { path: '$', kind: 'changed', primary: '"<p>a</p>"', shadow: '"<p>b</p>"' },
    ]);
  });

  it('reports JSON against text as a type diff at $', () => {
    const result = compareResponses(ok({ a: 1 }), { status: 200, body: 'oops', contentType: 'text/plain' });
    expect(result.diffs).toEqual([{ path: '$', kind: 'type', primary: '{"a":1}', shadow: '"oops"' }]);
  });

  it('falls back to text for invalid JSON under a JSON content type', () => {
    const broken = { status: 200, body: '{"a":', contentType: 'application/json' };
    expect(compareResponses(broken, broken).outcome).toBe('match');
  });

  it('sniffs JSON when there is no content type', () => {
    expect(compareResponses({ status: 200, body: Buffer.from(json) }, ok({ a: [1, 2], b: 'x' })).outcome).toBe('match');
  });

  it('treats empty bodies as equal and an empty body against a body as a diff', () => {
    expect(compareResponses({ status: 204 }, { status: 204 }).outcome).toBe('match');
    expect(compareResponses({ status: 200 }, ok({ a: 1 })).diffs[0]).toMatchObject({ path: '$', kind: 'extra' });
  });

  it('refuses bodies over the size cap with error/too_large instead of a status-only verdict', () => {
    const big = { status: 200, body: Buffer.alloc(2048, 0x61), contentType: 'text/plain' };
    const result = compareResponses(big, big, { maxBodyBytes: 1024 });
    expect(result).toMatchObject({ outcome: 'error', reason: 'too_large' });
    expect(result.detail).toMatch(/primary and shadow body over 1024 bytes/);
    expect(compareResponses({ status: 200, body: 'é'.repeat(600) }, ok('x'), { maxBodyBytes: 1024 }).reason).toBe('too_large');
    expect(compareResponses({ status: 200, body: 'é'.repeat(500) }, ok('x'), { maxBodyBytes: 1024 }).outcome).toBe('mismatch');
  });

  it('gives up on parsed bodies too big to walk', () => {
    const huge = Array.from({ length: 50_000 }, (_, i) => i);
    expect(compare(huge, huge, { maxBodyBytes: 1000 })).toMatchObject({ outcome: 'error', reason: 'too_large' });
  });
});

describe('failed calls', () => {
  it('reports a shadow timeout as timeout, charged to the shadow', () => {
    const result = compareResponses(ok({}), { failure: 'timeout', detail: 'after 250 ms' });
    expect(result).toEqual({ outcome: 'timeout', reason: 'shadow_failed', detail: 'after 250 ms', diffs: [], omittedDiffs: 0 });
    expect(sideFailed(result, 'shadow')).toBe(true);
    expect(sideFailed(result, 'primary')).toBe(false);
  });

  it('reports an error on either side as error; both failing as both_failed', () => {
    expect(compareResponses({ failure: 'error' }, ok({}))).toMatchObject({ outcome: 'error', reason: 'primary_failed' });
    const both = compareResponses({ failure: 'error', detail: 'ECONNREFUSED' }, { failure: 'timeout' });
    expect(both).toMatchObject({ outcome: 'error', reason: 'both_failed', detail: 'ECONNREFUSED' });
    expect(sideFailed(both, 'primary') && sideFailed(both, 'shadow')).toBe(true);
    expect(compareResponses({ failure: 'timeout' }, { failure: 'timeout' }).outcome).toBe('timeout');
  });
});

describe('truncation', () => {
  it('cuts long values at maxValueLength', () => {
    const result = compare({ a: 'x'.repeat(1000) }, { a: 'y' }, { maxValueLength: 20 });
    expect(result.diffs[0]!.primary).toBe(`"${'x'.repeat(19)}…`);
    expect(result.diffs[0]!.shadow).toBe('"y"');
    const nested = compare({ a: { b: Array.from({ length: 1000 }, () => 'z') } }, {}, { maxValueLength: 16 });
    expect(nested.diffs[0]!.primary!.length).toBe(17);
  });

  it('keeps at most maxDiffs and counts the rest', () => {
    const result = compare(
      Array.from({ length: 100 }, (_, i) => i),
      Array.from({ length: 100 }, (_, i) => -i - 1),
      { maxDiffs: 5 },
    );
    expect(result.diffs).toHaveLength(5);
    expect(result.omittedDiffs).toBe(95);
    expect(paths(result)).toEqual(['$[0]', '$[1]', '$[2]', '$[3]', '$[4]']);
  });
});

describe('robustness', () => {
  it('handles 100,000 levels of nesting without overflowing the stack', () => {
    const deep = (leaf: number) => `${'['.repeat(100_000)}${leaf}${']'.repeat(100_000)}`;
    const body = (leaf: number) => ({ status: 200, body: deep(leaf), contentType: 'application/json' });
    expect(compareResponses(body(1), body(1)).outcome).toBe('match');
    const result = compareResponses(body(1), body(2));
    expect(result.outcome).toBe('mismatch');
    expect(result.diffs[0]!.path).toMatch(/^\$…(\[0\]){128}$/);
    expect(compare(JSON.parse(deep(1)), 'x').diffs[0]!.primary).toMatch(/^\[\[\[.*…$/);
  });

  it('survives cyclic objects', () => {
    const cyclic: Record<string, unknown> = { a: 1 };
    cyclic['self'] = cyclic;
    const result = compare(cyclic, { a: 2 }, { maxBodyBytes: 10_000 });
    expect(result.outcome).toBe('mismatch');
    expect(compare(cyclic, cyclic, { maxBodyBytes: 10_000 })).toMatchObject({ outcome: 'error', reason: 'too_large' });
  });

  it('reports an invalid spec as an error outcome', () => {
    expect(compareResponses(ok(1), ok(1), { ignore: ['$..x'] })).toMatchObject({ outcome: 'error', reason: 'invalid_spec' });
    expect(compareResponses(ok(1), ok(1), { maxDiffs: -1 })).toMatchObject({ outcome: 'error', reason: 'invalid_spec' });
  });

  it('reports malformed sides as invalid_input', () => {
    expect(compareResponses(null as unknown as ResponseSide, ok(1))).toMatchObject({ outcome: 'error', reason: 'invalid_input' });
    expect(compareResponses({ status: '200' } as unknown as ResponseSide, ok(1)).reason).toBe('invalid_input');
  });

  it('turns a throwing getter into error/internal', () => {
    const hostile = Object.defineProperty({}, 'boom', {
      enumerable: true,
      get() {
        throw new Error('no');
      },
    });
    expect(compare(hostile, { boom: 1 })).toMatchObject({ outcome: 'error', reason: 'internal', detail: 'Error: no' });
  });

  it('never throws on random inputs and specs', () => {
    const random = mulberry32(42);
    const spec: ComparisonSpecInput = {
      ignore: ['**.b'],
      arraysAsSets: [{ path: '$.c' }, { path: '**.d', key: 'a' }],
      tolerance: [{ path: '*.a', relative: 0.1 }],
      transforms: [{ path: '**.a', op: 'round:1' }, { path: '$[*]', op: 'dropNulls' }, { path: '**', op: 'sortArray' }],
      maxDiffs: 3,
    };
    const comparator = Comparator.fromSpec(spec);
    for (let i = 0; i < 2000; i += 1) {
      const side = (): ResponseSide => randomSide(random);
      const result = comparator.compare(side(), side());
      expect(['match', 'mismatch', 'error', 'timeout']).toContain(result.outcome);
      expect(result.diffs.length).toBeLessThanOrEqual(3);
      expect(() => JSON.stringify(result)).not.toThrow();
      // The no-spec path and a garbage spec must hold up too.
      expect(() => compareResponses(side(), side(), randomValue(random, 2) as ComparisonSpecInput)).not.toThrow();
    }
  });
});

describe('comparisonSpecSchema', () => {
  it('applies defaults', () => {
    expect(comparisonSpecSchema.parse({})).toEqual({
      ignore: [],
      tolerance: [],
      arraysAsSets: [],
      transforms: [],
      compareStatus: true,
      maxDiffs: 20,
      maxValueLength: 200,
      maxBodyBytes: 1024 * 1024,
    });
  });

  it('rejects unknown transform ops, bad paths and empty tolerances', () => {
    expect(comparisonSpecSchema.safeParse({ transforms: [{ path: 'a', op: 'eval' }] }).success).toBe(false);
    expect(comparisonSpecSchema.safeParse({ transforms: [{ path: 'a', op: 'round:13' }] }).success).toBe(false);
    expect(comparisonSpecSchema.safeParse({ transforms: [{ path: 'a', op: 'round:2' }] }).success).toBe(true);
    expect(comparisonSpecSchema.safeParse({ ignore: ['a[b'] }).success).toBe(false);
    expect(comparisonSpecSchema.safeParse({ tolerance: [{ path: 'a' }] }).success).toBe(false);
    expect(comparisonSpecSchema.safeParse({ tolerance: [{ path: 'a', relative: 2 }] }).success).toBe(false);
  });
});

// ---------------------------------------------------------------- helpers

function mulberry32(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function randomValue(random: () => number, depth: number): unknown {
  const pick = Math.floor(random() * (depth > 0 ? 12 : 8));
  switch (pick) {
    case 0:
      return null;
    case 1:
      return random() < 0.5;
    case 2:
      return [0, -0, 1.5, Number.NaN, Infinity, 2 ** 60, 19.99, 19.990000000000002][Math.floor(random() * 8)];
    case 3:
      return ['', 'a', 'A ', '12', '{"x":1}', '\u0000'][Math.floor(random() * 6)];
    case 4:
      return undefined;
    case 5:
      return 10n ** 20n;
    case 6:
      return Buffer.from('[1,2');
    case 7:
      return new Date(random() < 0.5 ? 0 : Number.NaN);
    default: {
      if (random() < 0.5) return Array.from({ length: Math.floor(random() * 4) }, () => randomValue(random, depth - 1));
      const keys = ['a', 'b', 'c', 'd', '__proto__', ''];
      const out: Record<string, unknown> = {};
      for (const key of keys) {
        if (random() < 0.4) Object.defineProperty(out, key, { value: randomValue(random, depth - 1), enumerable: true, writable: true });
      }
      return out;
    }
  }
}

function randomSide(random: () => number): ResponseSide {
  const r = random();
  if (r < 0.05) return { failure: random() < 0.5 ? 'error' : 'timeout' };
  if (r < 0.1) return randomValue(random, 1) as ResponseSide;
  const contentType = [undefined, 'application/json', 'text/plain', 'image/png'][Math.floor(random() * 4)];
  const value = randomValue(random, 3);
  const body = random() < 0.3 ? Buffer.from(String(JSON.stringify(value, (_k, v: unknown) => (typeof v === 'bigint' ? v.toString() : v)))) : value;
  return { status: [200, 404, 500][Math.floor(random() * 3)]!, body, contentType };
}
