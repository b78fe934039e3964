import { type MatchState, type PathSegment, PathMatcher, parsePathPattern } from './path';
import { type ComparisonSpec, type ComparisonSpecInput, type Tolerance, type TransformOp, comparisonSpecSchema } from './spec';
import {
  type NodeBudget,
  type ValueKind,
  canonicalJson,
  kindOf,
  numberEqualsBigint,
  numbersEqual,
  wireValue,
} from './values';

/**
 * The walk behind `compareResponses` and `NoiseLearner`: a spec compiled once
 * into one path matcher, a transform pass and an iterative structural diff.
 * Internal to the lib; errors thrown here are caught by the callers.
 */

type Rule =
  | { readonly role: 'ignore' }
  | { readonly role: 'tolerance'; readonly tolerance: Tolerance }
  | { readonly role: 'set'; readonly key: string | undefined }
  | { readonly role: 'transform'; readonly op: TransformOp };

export class CompiledSpec {
  readonly matcher: PathMatcher<Rule>;
  readonly hasTransforms: boolean;

  private constructor(readonly spec: ComparisonSpec) {
    const rules: Array<{ pattern: ReturnType<typeof parsePathPattern>; value: Rule }> = [];
    for (const path of spec.ignore) rules.push({ pattern: parsePathPattern(path), value: { role: 'ignore' } });
    for (const { path, ...tolerance } of spec.tolerance) {
      rules.push({ pattern: parsePathPattern(path), value: { role: 'tolerance', tolerance } });
    }
    for (const { path, key } of spec.arraysAsSets) rules.push({ pattern: parsePathPattern(path), value: { role: 'set', key } });
    for (const { path, op } of spec.transforms) rules.push({ pattern: parsePathPattern(path), value: { role: 'transform', op } });
    this.matcher = new PathMatcher(rules);
    this.hasTransforms = spec.transforms.length > 0;
  }

  /** Throws a ZodError on an invalid spec. */
  static compile(input: ComparisonSpecInput): CompiledSpec {
    return new CompiledSpec(comparisonSpecSchema.parse(input));
  }

  rulesAt(state: MatchState): readonly Rule[] {
    return state.length === 0 ? NO_RULES : this.matcher.matches(state);
  }

  /** Node budget for one comparison: real JSON needs at least one byte per value, and the walk revisits some nodes. */
  get nodeBudget(): number {
    return 8 * this.spec.maxBodyBytes + 10_000;
  }
}

const NO_RULES: readonly Rule[] = [];

export interface PathNode {
  readonly parent: PathNode | undefined;
  readonly segment: PathSegment | undefined;
  readonly depth: number;
}

export const ROOT_PATH: PathNode = { parent: undefined, segment: undefined, depth: 0 };

function childPath(parent: PathNode, segment: PathSegment): PathNode {
  return { parent, segment, depth: parent.depth + 1 };
}

/** Segments from the root, at most `limit` of the deepest ones; `truncated` when some were left off. */
export function pathSegments(node: PathNode, limit = Number.POSITIVE_INFINITY): { segments: PathSegment[]; truncated: boolean } {
  const segments: PathSegment[] = [];
  let current: PathNode | undefined = node;
  while (current?.segment && segments.length < limit) {
    segments.push(current.segment);
    current = current.parent;
  }
  return { segments: segments.reverse(), truncated: current?.segment !== undefined };
}

export type BodyDiffKind = 'changed' | 'missing' | 'extra' | 'type';

export interface DiffSink {
  /** `missing`: in the primary, not in the shadow; `extra`: the other way round. Absent sides are `undefined`. */
  diff(path: PathNode, kind: BodyDiffKind, primary: unknown, shadow: unknown): void;
  /** Called for every node compared (present on at least one side and not ignored). */
  visit?(path: PathNode): void;
}

// ---------------------------------------------------------------- transforms

/** Applies the spec's transforms to one body; returns a new value, sharing every subtree no transform can reach. */
export function applyTransforms(root: unknown, compiled: CompiledSpec, budget: NodeBudget): unknown {
  if (!compiled.hasTransforms) return root;
  const { matcher } = compiled;
  let result: unknown;
  type Enter = { readonly exit: false; readonly value: unknown; readonly state: MatchState; readonly assign: (value: unknown) => void };
  type Exit = { readonly exit: true; readonly copy: unknown; readonly state: MatchState; readonly assign: (value: unknown) => void };
  const stack: Array<Enter | Exit> = [{ exit: false, value: root, state: matcher.root, assign: (v) => (result = v) }];
  while (stack.length > 0) {
    const frame = stack.pop()!;
    if (frame.exit) {
      frame.assign(transformValue(frame.copy, compiled.rulesAt(frame.state), budget));
      continue;
    }
    budget.spend();
    if (frame.state.length === 0) {
      frame.assign(frame.value); // no pattern is alive below here: nothing to change
      continue;
    }
    const value = wireValue(frame.value);
    const kind = kindOf(value);
    if (kind === 'array') {
      const items = value as unknown[];
      const copy: unknown[] = new Array<unknown>(items.length);
      stack.push({ exit: true, copy, state: frame.state, assign: frame.assign });
      for (let i = items.length - 1; i >= 0; i -= 1) {
        const state = matcher.step(frame.state, { kind: 'index', index: i });
        stack.push({ exit: false, value: items[i], state, assign: (v) => (copy[i] = v) });
      }
    } else if (kind === 'object') {
      const record = value as Record<string, unknown>;
      const copy: Record<string, unknown> = {};
      stack.push({ exit: true, copy, state: frame.state, assign: frame.assign });
      const keys = Object.keys(record);
      for (let i = keys.length - 1; i >= 0; i -= 1) {
        const key = keys[i]!;
        const state = matcher.step(frame.state, { kind: 'key', key });
        stack.push({ exit: false, value: record[key], state, assign: (v) => defineKey(copy, key, v) });
      }
    } else {
      frame.assign(transformValue(value, compiled.rulesAt(frame.state), budget));
    }
  }
  return result;
}

// A plain assignment to "__proto__" would replace the copy's prototype instead of adding the key JSON.parse created.
function defineKey(target: Record<string, unknown>, key: string, value: unknown): void {
  Object.defineProperty(target, key, { value, enumerable: true, writable: true, configurable: true });
}

const NUMERIC_TEXT = /^-?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?$/;

function transformValue(value: unknown, rules: readonly Rule[], budget: NodeBudget): unknown {
  let current = value;
  for (const rule of rules) {
    if (rule.role === 'transform') current = applyOp(rule.op, current, budget);
  }
  return current;
}

function applyOp(op: TransformOp, value: unknown, budget: NodeBudget): unknown {
  const kind = kindOf(value);
  switch (op) {
    case 'lowercase':
      return kind === 'string' ? (value as string).toLowerCase() : value;
    case 'uppercase':
      return kind === 'string' ? (value as string).toUpperCase() : value;
    case 'trim':
      return kind === 'string' ? (value as string).trim() : value;
    case 'toNumber': {
      if (kind !== 'string') return value;
      const text = (value as string).trim();
      return NUMERIC_TEXT.test(text) ? Number(text) : value;
    }
    case 'toString':
      if (kind === 'number') return String((value as number) === 0 ? 0 : value);
      return kind === 'boolean' || kind === 'bigint' ? String(value) : value;
    case 'sortArray': {
      if (kind !== 'array') return value;
      const keyed = (value as unknown[]).map((item) => ({ item, key: canonicalJson(item, budget) }));
      keyed.sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
      return keyed.map((k) => k.item);
    }
    case 'dropNulls': {
      if (kind === 'array') return (value as unknown[]).filter((item) => item !== null);
      if (kind !== 'object') return value;
      const copy: Record<string, unknown> = {};
      for (const [key, item] of Object.entries(value as Record<string, unknown>)) if (item !== null) defineKey(copy, key, item);
      return copy;
    }
    default: {
      const digits = Number(op.slice('round:'.length));
      if (kind !== 'number' || !Number.isFinite(value as number) || Math.abs(value as number) >= 1e21) return value;
      // toFixed rounds the exact binary value; good enough to compare 19.990000000000002 with 19.99.
      return Number((value as number).toFixed(digits));
    }
  }
}

// ---------------------------------------------------------------- diff walk

interface Frame {
  readonly primary: unknown;
  readonly shadow: unknown;
  readonly path: PathNode;
  readonly state: MatchState;
}

/**
 * Depth-first, in document order (primary's key order, then keys only the
 * shadow has), with an explicit stack. A subtree present on one side only is
 * one `missing`/`extra` diff, not one per leaf.
 */
export function diffValues(primary: unknown, shadow: unknown, compiled: CompiledSpec, sink: DiffSink, budget: NodeBudget): void {
  const { matcher } = compiled;
  const currencyOf = (field: string) => topLevelString(primary, field) ?? topLevelString(shadow, field);
  const stack: Frame[] = [{ primary, shadow, path: ROOT_PATH, state: matcher.root }];
  const children: Frame[] = [];
  while (stack.length > 0) {
    const frame = stack.pop()!;
    budget.spend();
    const rules = compiled.rulesAt(frame.state);
    if (rules.some((r) => r.role === 'ignore')) continue;
    const p = wireValue(frame.primary);
    const s = wireValue(frame.shadow);
    const pk = kindOf(p);
    const sk = kindOf(s);
    if (pk === 'absent' && sk === 'absent') continue;
    sink.visit?.(frame.path);
    if (sk === 'absent') {
      sink.diff(frame.path, 'missing', p, undefined);
      continue;
    }
    if (pk === 'absent') {
      sink.diff(frame.path, 'extra', undefined, s);
      continue;
    }
    if (!sameKind(pk, sk)) {
      sink.diff(frame.path, 'type', p, s);
      continue;
    }
    children.length = 0;
    switch (pk) {
      case 'number':
      case 'bigint':
        if (!numericEqual(p, s, rules, compiled, currencyOf)) sink.diff(frame.path, 'changed', p, s);
        break;
      case 'string':
      case 'boolean':
        if (p !== s) sink.diff(frame.path, 'changed', p, s);
        break;
      case 'array': {
        const set = rules.find((r): r is Extract<Rule, { role: 'set' }> => r.role === 'set');
        if (!set) orderedChildren(frame, p as unknown[], s as unknown[], matcher, children);
        else if (set.key !== undefined) keyedChildren(frame, p as unknown[], s as unknown[], set.key, matcher, children, budget);
        else valueSetChildren(frame, p as unknown[], s as unknown[], compiled, children, budget);
        break;
      }
      case 'object':
        objectChildren(frame, p as Record<string, unknown>, s as Record<string, unknown>, matcher, children);
        break;
      default:
        break; // null equals null
    }
    for (let i = children.length - 1; i >= 0; i -= 1) stack.push(children[i]!);
  }
}

function sameKind(a: ValueKind, b: ValueKind): boolean {
  const numeric = (k: ValueKind) => k === 'number' || k === 'bigint';
  return a === b || (numeric(a) && numeric(b));
}

function numericEqual(p: unknown, s: unknown, rules: readonly Rule[], compiled: CompiledSpec, currencyOf: (field: string) => string | undefined): boolean {
  if (typeof p === 'bigint' || typeof s === 'bigint') {
    if (typeof p === 'bigint' && typeof s === 'bigint') return p === s;
    return typeof p === 'bigint' ? numberEqualsBigint(s as number, p) : numberEqualsBigint(p as number, s as bigint);
  }
  const rule = rules.find((r): r is Extract<Rule, { role: 'tolerance' }> => r.role === 'tolerance');
  return numbersEqual(p as number, s as number, rule ? withCurrency(rule.tolerance, currencyOf) : compiled.spec.defaultTolerance);
}

/** The rule's bounds, with the absolute one of the body's currency when the rule has one for it. */
function withCurrency(tolerance: Tolerance, currencyOf: (field: string) => string | undefined): Tolerance {
  if (!tolerance.byCurrency) return tolerance;
  const currency = currencyOf(tolerance.byCurrency.field);
  const absolute = currency === undefined ? undefined : tolerance.byCurrency.absolute[currency];
  return absolute === undefined ? tolerance : { ...tolerance, absolute };
}

function topLevelString(body: unknown, field: string): string | undefined {
  if (body === null || typeof body !== 'object' || Array.isArray(body) || !Object.prototype.hasOwnProperty.call(body, field)) return undefined;
  const value = (body as Record<string, unknown>)[field];
  return typeof value === 'string' ? value : undefined;
}

function child(frame: Frame, primary: unknown, shadow: unknown, segment: PathSegment, matcher: PathMatcher<Rule>): Frame {
  return { primary, shadow, path: childPath(frame.path, segment), state: matcher.step(frame.state, segment) };
}

function orderedChildren(frame: Frame, p: unknown[], s: unknown[], matcher: PathMatcher<Rule>, out: Frame[]): void {
  const length = Math.max(p.length, s.length);
  for (let i = 0; i < length; i += 1) out.push(child(frame, p[i], s[i], { kind: 'index', index: i }, matcher));
}

function objectChildren(
  frame: Frame,
  p: Record<string, unknown>,
  s: Record<string, unknown>,
  matcher: PathMatcher<Rule>,
  out: Frame[],
): void {
  const own = (o: Record<string, unknown>, key: string) => (Object.prototype.hasOwnProperty.call(o, key) ? o[key] : undefined);
  for (const key of Object.keys(p)) out.push(child(frame, p[key], own(s, key), { kind: 'key', key }, matcher));
  for (const key of Object.keys(s)) {
    if (!Object.prototype.hasOwnProperty.call(p, key)) out.push(child(frame, undefined, s[key], { kind: 'key', key }, matcher));
  }
}

/**
 * Elements paired by the canonical JSON of their `key` field; the n-th
 * element with a repeated key pairs with the other side's n-th (`#n`).
 */
function keyedChildren(
  frame: Frame,
  p: unknown[],
  s: unknown[],
  field: string,
  matcher: PathMatcher<Rule>,
  out: Frame[],
  budget: NodeBudget,
): void {
  const labels = (items: unknown[]): string[] => {
    const seen = new Map<string, number>();
    return items.map((item) => {
      const value = wireValue(item);
      const key = kindOf(value) === 'object' ? (value as Record<string, unknown>)[field] : undefined;
      const canonical = canonicalJson(kindOf(key) === 'absent' ? null : key, budget);
      const n = (seen.get(canonical) ?? 0) + 1;
      seen.set(canonical, n);
      return n === 1 ? canonical : `${canonical}#${n}`;
    });
  };
  const primaryLabels = labels(p);
  const shadowLabels = labels(s);
  const shadowByLabel = new Map<string, number>();
  shadowLabels.forEach((label, j) => shadowByLabel.set(label, j));
  const paired = new Set<number>();
  primaryLabels.forEach((label, i) => {
    const j = shadowByLabel.get(label);
    if (j !== undefined) paired.add(j);
    out.push(child(frame, p[i], j === undefined ? undefined : s[j], { kind: 'keyed', field, value: label }, matcher));
  });
  shadowLabels.forEach((label, j) => {
    if (!paired.has(j)) out.push(child(frame, undefined, s[j], { kind: 'keyed', field, value: label }, matcher));
  });
}

/**
 * Elements paired by equal canonical JSON (ignored subtrees left out). What
 * stays unpaired is paired again in canonical order and compared field by
 * field, so an element that changed slightly (or only within tolerance)
 * reports the field, not a missing plus an extra. Paths use the primary's
 * index, or the shadow's for `extra`.
 */
function valueSetChildren(frame: Frame, p: unknown[], s: unknown[], compiled: CompiledSpec, out: Frame[], budget: NodeBudget): void {
  const { matcher } = compiled;
  const skipIgnored = (state: MatchState, key: string | number) => {
    const next = matcher.step(state, typeof key === 'number' ? { kind: 'index', index: key } : { kind: 'key', key });
    return { state: next, skip: compiled.rulesAt(next).some((r) => r.role === 'ignore') };
  };
  const canonicalOf = (items: unknown[]) =>
    items.map((item, i) => canonicalJson(item, budget, matcher.step(frame.state, { kind: 'index', index: i }), skipIgnored));
  const primaryCanon = canonicalOf(p);
  const shadowCanon = canonicalOf(s);
  // Per canonical value: the shadow's indices holding it, and how many of them are paired already.
  const shadowByCanon = new Map<string, { indices: number[]; paired: number }>();
  shadowCanon.forEach((canon, j) => {
    const entry = shadowByCanon.get(canon);
    if (entry) entry.indices.push(j);
    else shadowByCanon.set(canon, { indices: [j], paired: 0 });
  });
  const unpairedPrimary: number[] = [];
  primaryCanon.forEach((canon, i) => {
    const entry = shadowByCanon.get(canon);
    if (entry && entry.paired < entry.indices.length) entry.paired += 1;
    else unpairedPrimary.push(i);
  });
  const unpairedShadow = [...shadowByCanon.values()].flatMap((e) => e.indices.slice(e.paired));
  const byCanon = (canon: string[]) => (a: number, b: number) => (canon[a]! < canon[b]! ? -1 : canon[a]! > canon[b]! ? 1 : a - b);
  const primaryOrder = [...unpairedPrimary].sort(byCanon(primaryCanon));
  const shadowOrder = [...unpairedShadow].sort(byCanon(shadowCanon));
  const pairs: Array<{ i: number; j: number | undefined }> = primaryOrder.map((i, n) => ({ i, j: shadowOrder[n] }));
  pairs.sort((a, b) => a.i - b.i);
  for (const { i, j } of pairs) {
    out.push(child(frame, p[i], j === undefined ? undefined : s[j], { kind: 'index', index: i }, matcher));
  }
  for (const j of shadowOrder.slice(primaryOrder.length).sort((a, b) => a - b)) {
    out.push(child(frame, undefined, s[j], { kind: 'index', index: j }, matcher));
  }
}
