import { type PathSegment, PathMatcher, PathSyntaxError, formatPath, generalizePath, parsePathPattern } from './path';

const key = (k: string): PathSegment => ({ kind: 'key', key: k });
const index = (i: number): PathSegment => ({ kind: 'index', index: i });

function matches(pattern: string, path: PathSegment[]): boolean {
  const matcher = new PathMatcher([{ pattern: parsePathPattern(pattern), value: pattern }]);
  let state = matcher.root;
  for (const segment of path) state = matcher.step(state, segment);
  return matcher.matches(state).length > 0;
}

describe('parsePathPattern', () => {
  it('reads $-rooted and bare paths alike', () => {
    expect(parsePathPattern('$.a.b')).toEqual([key('a'), key('b')]);
    expect(parsePathPattern('a.b')).toEqual([key('a'), key('b')]);
    expect(parsePathPattern('$')).toEqual([]);
  });

  it('reads indices, wildcards, quoted keys and element keys', () => {
    expect(parsePathPattern('items[*].price')).toEqual([key('items'), { kind: 'anyElement' }, key('price')]);
    expect(parsePathPattern('$.lines[3]')).toEqual([key('lines'), index(3)]);
    expect(parsePathPattern('*.x')).toEqual([{ kind: 'any' }, key('x')]);
    expect(parsePathPattern('**.updatedAt')).toEqual([{ kind: 'anyDepth' }, key('updatedAt')]);
    expect(parsePathPattern('$["a.b"][\'c\']')).toEqual([key('a.b'), key('c')]);
    expect(parsePathPattern('$.lines[sku="A]1"].qty')).toEqual([
      key('lines'),
      { kind: 'keyed', field: 'sku', value: '"A]1"' },
      key('qty'),
    ]);
  });

  it.each(['$.', 'a..b', '$[', '$[x', '$["a]', 'a]b', '$x', '$[=1]'])('rejects %s', (bad) => {
    expect(() => parsePathPattern(bad)).toThrow(PathSyntaxError);
  });

  it('round-trips every concrete path it renders', () => {
    const path: PathSegment[] = [key('a'), key('odd key'), index(2), { kind: 'keyed', field: 'id', value: '"x"#2' }, key('*')];
    const text = formatPath(path);
    expect(text).toBe('$.a["odd key"][2][id="x"#2]["*"]');
    expect(parsePathPattern(text)).toEqual(path);
  });
});

describe('PathMatcher', () => {
  it('matches keys exactly', () => {
    expect(matches('$.a.b', [key('a'), key('b')])).toBe(true);
    expect(matches('$.a.b', [key('a')])).toBe(false);
    expect(matches('$.a.b', [key('a'), key('b'), key('c')])).toBe(false);
  });

  it('[*] matches any element, * any one segment', () => {
    expect(matches('items[*].price', [key('items'), index(7), key('price')])).toBe(true);
    expect(matches('items[*].price', [key('items'), { kind: 'keyed', field: 'id', value: '1' }, key('price')])).toBe(true);
    expect(matches('items[*].price', [key('items'), key('x'), key('price')])).toBe(false);
    expect(matches('*.price', [key('anything'), key('price')])).toBe(true);
    expect(matches('*.price', [index(0), key('price')])).toBe(true);
  });

  it('** matches any depth, including none', () => {
    expect(matches('**.updatedAt', [key('updatedAt')])).toBe(true);
    expect(matches('**.updatedAt', [key('a'), index(1), key('b'), key('updatedAt')])).toBe(true);
    expect(matches('$.a.**', [key('a')])).toBe(true);
    expect(matches('**.updatedAt', [key('updatedAt'), key('x')])).toBe(false);
  });

  it('reports every matching rule in rule order', () => {
    const matcher = new PathMatcher([
      { pattern: parsePathPattern('**.price'), value: 'deep' },
      { pattern: parsePathPattern('lines[*].price'), value: 'lines' },
      { pattern: parsePathPattern('other'), value: 'other' },
    ]);
    let state = matcher.root;
    for (const s of [key('lines'), index(0), key('price')]) state = matcher.step(state, s);
    expect(matcher.matches(state)).toEqual(['deep', 'lines']);
  });
});

describe('generalizePath', () => {
  it('replaces positions and element keys with [*]', () => {
    expect(generalizePath('$.lines[3].price')).toBe('$.lines[*].price');
    expect(generalizePath('$.lines[sku="A-1"].qty')).toBe('$.lines[*].qty');
    expect(generalizePath('(status)')).toBe('(status)');
  });
});
