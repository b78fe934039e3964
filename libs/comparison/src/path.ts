/**
 * JSON paths: the concrete ones a diff reports and the patterns a comparison
 * spec uses to point at parts of a body.
 *
 * Concrete path, as rendered in diffs:  `$.lines[0].available`,
 * `$.lines[sku="A-1"].available` (an element of an array compared as a set by
 * its `sku` field), `$["odd.key"]` (a key that is not a plain identifier).
 *
 * Pattern grammar (every concrete path is also a valid pattern):
 *   `$.a.b` or `a.b`     keys (the leading `$` is optional)
 *   `items[3]`           one array element by position
 *   `items[*]`           any array element
 *   `*`                  any one segment (a key or an element)
 *   `**`                 any number of segments, including none (`**.updatedAt`)
 *   `["a.b"]`            a key with characters that would otherwise be syntax
 *   `lines[sku="A-1"]`   the element whose key field has this value (sets by key)
 */

export type PathSegment =
  | { readonly kind: 'key'; readonly key: string }
  | { readonly kind: 'index'; readonly index: number }
  /** An element of an array compared by key; `value` is the key's canonical JSON, plus `#n` for the n-th duplicate. */
  | { readonly kind: 'keyed'; readonly field: string; readonly value: string };

export type PatternSegment =
  | PathSegment
  | { readonly kind: 'any' }
  | { readonly kind: 'anyElement' }
  | { readonly kind: 'anyDepth' };

/** Longest pattern accepted; deeper rules are almost certainly a mistake and would bloat match state. */
export const MAX_PATTERN_SEGMENTS = 64;

export class PathSyntaxError extends Error {
  constructor(readonly pattern: string, reason: string) {
    super(`invalid path "${pattern}": ${reason}`);
    this.name = 'PathSyntaxError';
  }
}

const IDENTIFIER = /^[A-Za-z_][A-Za-z0-9_$-]*$/;

export function parsePathPattern(text: string): PatternSegment[] {
  const fail = (reason: string): never => {
    throw new PathSyntaxError(text, reason);
  };
  const segments: PatternSegment[] = [];
  let i = 0;
  if (text.startsWith('$')) i = 1;
  else if (text.length > 0 && text[0] !== '[' && text[0] !== '.') {
    // `a.b` is shorthand for `$.a.b`: read the first name as if a dot preceded it.
    i = readName(0);
  }
  while (i < text.length) {
    const c = text[i];
    if (c === '.') {
      if (i + 1 >= text.length) fail('ends with "."');
      i = readName(i + 1);
    } else if (c === '[') {
      i = readBracket(i + 1);
    } else {
      fail(`unexpected "${c}" at ${i}`);
    }
  }
  if (segments.length > MAX_PATTERN_SEGMENTS) fail(`more than ${MAX_PATTERN_SEGMENTS} segments`);
  return segments;

  function readName(start: number): number {
    let end = start;
    while (end < text.length && text[end] !== '.' && text[end] !== '[') end += 1;
    const name = text.slice(start, end);
    if (name === '') fail(`empty name at ${start}`);
    if (name.includes(']')) fail(`unexpected "]" in "${name}"`);
    segments.push(name === '*' ? { kind: 'any' } : name === '**' ? { kind: 'anyDepth' } : { kind: 'key', key: name });
    return end;
  }

  function readBracket(start: number): number {
    if (text[start] === '"' || text[start] === "'") {
      const end = quotedEnd(start);
      const raw = text.slice(start, end + 1);
      const key = text[start] === '"' ? parseJsonString(raw) : raw.slice(1, -1);
      if (text[end + 1] !== ']') fail(`expected "]" at ${end + 1}`);
      segments.push({ kind: 'key', key });
      return end + 2;
    }
    const close = text.indexOf(']', start);
    if (close < 0) fail('unclosed "["');
    const inner = text.slice(start, close);
    if (inner === '*') {
      segments.push({ kind: 'anyElement' });
      return close + 1;
    }
    if (/^\d+$/.test(inner)) {
      const index = Number(inner);
      if (!Number.isSafeInteger(index)) fail(`index ${inner} is too large`);
      segments.push({ kind: 'index', index });
      return close + 1;
    }
    const eq = inner.indexOf('=');
    if (eq <= 0) fail(`expected an index, "*", a quoted key or field=value in "[${inner}]"`);
    const field = text.slice(start, start + eq);
    const valueStart = start + eq + 1;
    // A JSON string value may itself contain "]": find its closing quote first.
    const end = text[valueStart] === '"' ? text.indexOf(']', quotedEnd(valueStart)) : close;
    if (end < 0) fail('unclosed "["');
    const value = text.slice(valueStart, end);
    if (value === '') fail(`empty key value for "${field}"`);
    segments.push({ kind: 'keyed', field, value });
    return end + 1;
  }

  function quotedEnd(start: number): number {
    const quote = text[start];
    for (let j = start + 1; j < text.length; j += 1) {
      if (text[j] === '\\') j += 1;
      else if (text[j] === quote) return j;
    }
    return fail('unterminated quoted key');
  }

  function parseJsonString(raw: string): string {
    try {
      return JSON.parse(raw) as string;
    } catch {
      return fail(`bad escape in ${raw}`);
    }
  }
}

export function formatSegment(segment: PathSegment): string {
  switch (segment.kind) {
    case 'key':
      return IDENTIFIER.test(segment.key) ? `.${segment.key}` : `[${JSON.stringify(segment.key)}]`;
    case 'index':
      return `[${segment.index}]`;
    case 'keyed':
      return `[${segment.field}=${segment.value}]`;
  }
}

export function formatPath(segments: readonly PathSegment[]): string {
  return `$${segments.map(formatSegment).join('')}`;
}

/** The same path with every array position or element key replaced by `[*]`: one name for "this field of every line". */
export function generalizeSegments(segments: readonly PathSegment[]): string {
  return `$${segments.map((s) => (s.kind === 'key' ? formatSegment(s) : '[*]')).join('')}`;
}

/** `$.lines[3].price` → `$.lines[*].price`; returns the input unchanged when it is not a rendered `$` path. */
export function generalizePath(path: string): string {
  if (!path.startsWith('$')) return path;
  try {
    const segments = parsePathPattern(path);
    if (!segments.every(isConcrete)) return path;
    return generalizeSegments(segments);
  } catch {
    return path;
  }
}

function isConcrete(segment: PatternSegment): segment is PathSegment {
  return segment.kind === 'key' || segment.kind === 'index' || segment.kind === 'keyed';
}

/**
 * Matches many patterns at once while a body is walked, without re-reading the
 * path at every node: a state is the set of (pattern, position) pairs still
 * alive, and `step` advances it by one segment (a small NFA; `**` keeps its
 * pair alive). Cost per node is proportional to the live pairs, usually 0–3.
 */
export type MatchState = readonly number[];

const EMPTY: MatchState = [];
// Pairs are packed as pattern * STRIDE + position; positions never exceed MAX_PATTERN_SEGMENTS.
const STRIDE = MAX_PATTERN_SEGMENTS + 1;

export class PathMatcher<T> {
  private readonly patterns: ReadonlyArray<readonly PatternSegment[]>;
  private readonly values: readonly T[];
  readonly root: MatchState;

  constructor(rules: ReadonlyArray<{ readonly pattern: readonly PatternSegment[]; readonly value: T }>) {
    for (const rule of rules) {
      if (rule.pattern.length > MAX_PATTERN_SEGMENTS) throw new RangeError(`pattern longer than ${MAX_PATTERN_SEGMENTS} segments`);
    }
    this.patterns = rules.map((r) => r.pattern);
    this.values = rules.map((r) => r.value);
    const start: number[] = [];
    this.patterns.forEach((_, p) => this.add(start, p, 0));
    this.root = start.length === 0 ? EMPTY : start;
  }

  get isEmpty(): boolean {
    return this.patterns.length === 0;
  }

  step(state: MatchState, segment: PathSegment): MatchState {
    if (state.length === 0) return EMPTY;
    const next: number[] = [];
    for (const packed of state) {
      const p = Math.floor(packed / STRIDE);
      const pos = packed % STRIDE;
      const pattern = this.patterns[p]!;
      if (pos >= pattern.length) continue;
      const want = pattern[pos]!;
      if (want.kind === 'anyDepth') {
        this.add(next, p, pos); // consume this segment, stay inside `**`
      } else if (segmentMatches(want, segment)) {
        this.add(next, p, pos + 1);
      }
    }
    return next.length === 0 ? EMPTY : next;
  }

  /** Values of the patterns that match the path exactly at this state, in rule order. */
  matches(state: MatchState): T[] {
    const out: Array<{ p: number; value: T }> = [];
    for (const packed of state) {
      const p = Math.floor(packed / STRIDE);
      if (packed % STRIDE === this.patterns[p]!.length) out.push({ p, value: this.values[p]! });
    }
    return out.sort((a, b) => a.p - b.p).map((m) => m.value);
  }

  private add(into: number[], p: number, pos: number): void {
    const packed = p * STRIDE + pos;
    if (into.includes(packed)) return;
    into.push(packed);
    // `**` may match zero segments: whoever stands before it also stands after it.
    if (this.patterns[p]![pos]?.kind === 'anyDepth') this.add(into, p, pos + 1);
  }
}

function segmentMatches(want: PatternSegment, got: PathSegment): boolean {
  switch (want.kind) {
    case 'any':
      return true;
    case 'anyElement':
      return got.kind !== 'key';
    case 'key':
      return got.kind === 'key' && got.key === want.key;
    case 'index':
      return got.kind === 'index' && got.index === want.index;
    case 'keyed':
      return got.kind === 'keyed' && got.field === want.field && got.value === want.value;
    case 'anyDepth':
      return true;
  }
}
