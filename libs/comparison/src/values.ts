/**
 * Value helpers shared by the comparison walk and the noise learner. All of
 * them are iterative: a body nested 100,000 levels deep must not overflow the
 * stack, and `JSON.stringify` would.
 */

export type ValueKind = 'absent' | 'null' | 'boolean' | 'number' | 'bigint' | 'string' | 'array' | 'object';

/** JSON's view of a value: what `JSON.stringify` would drop is `absent`. */
export function kindOf(value: unknown): ValueKind {
  if (value === null) return 'null';
  switch (typeof value) {
    case 'undefined':
    case 'function':
    case 'symbol':
      return 'absent';
    case 'boolean':
      return 'boolean';
    case 'number':
      return 'number';
    case 'bigint':
      return 'bigint';
    case 'string':
      return 'string';
    default:
      return Array.isArray(value) ? 'array' : 'object';
  }
}

/**
 * Bodies handed in already parsed may hold a `Date` or anything else with
 * `toJSON`; compare them as they would travel on the wire.
 */
export function wireValue(value: unknown): unknown {
  if (value !== null && typeof value === 'object' && !Array.isArray(value)) {
    const toJSON = (value as { toJSON?: unknown }).toJSON;
    if (typeof toJSON === 'function') {
      try {
        return toJSON.call(value) as unknown;
      } catch {
        return null; // e.g. an invalid Date
      }
    }
  }
  return value;
}

export interface NumericTolerance {
  readonly absolute?: number | undefined;
  readonly relative?: number | undefined;
}

const ULP_SLACK = 4 * Number.EPSILON;

/**
 * Numbers are equal when identical (NaN equals NaN, 0 equals -0: JSON cannot
 * tell them apart), when within the tolerance (either bound suffices), or —
 * unless both are integers — when they differ only by floating-point noise of
 * a few ULPs (19.99 vs 19.990000000000002). Integers never get that slack so
 * ids that differ by one always differ.
 */
export function numbersEqual(a: number, b: number, tolerance: NumericTolerance | undefined): boolean {
  if (a === b || (Number.isNaN(a) && Number.isNaN(b))) return true;
  if (!Number.isFinite(a) || !Number.isFinite(b)) return false;
  const diff = Math.abs(a - b);
  const scale = Math.max(Math.abs(a), Math.abs(b));
  const slack = Number.isInteger(a) && Number.isInteger(b) && !tolerance ? 0 : ULP_SLACK * scale;
  if (diff <= slack) return true;
  if (tolerance?.absolute !== undefined && diff <= tolerance.absolute + slack) return true;
  if (tolerance?.relative !== undefined && diff <= tolerance.relative * scale + slack) return true;
  return false;
}

/** A number and a bigint (a large integer kept exact) are equal only when the number is that exact integer. */
export function numberEqualsBigint(n: number, big: bigint): boolean {
  return Number.isInteger(n) && BigInt(n) === big;
}

export class BudgetExceededError extends Error {
  constructor() {
    super('node budget exceeded');
    this.name = 'BudgetExceededError';
  }
}

/** Counts nodes visited across one comparison; runs out on huge or cyclic inputs. */
export class NodeBudget {
  constructor(private remaining: number) {}

  spend(): void {
    this.remaining -= 1;
    if (this.remaining < 0) throw new BudgetExceededError();
  }
}

function primitiveText(value: unknown, kind: ValueKind): string {
  switch (kind) {
    case 'null':
      return 'null';
    case 'boolean':
      return String(value);
    case 'number': {
      const n = value as number;
      return Number.isFinite(n) ? String(n === 0 ? 0 : n) : String(n); // -0 → 0; NaN/Infinity spelled out
    }
    case 'bigint':
      return (value as bigint).toString();
    case 'string':
      return JSON.stringify(value);
    default:
      return 'null';
  }
}

/**
 * Canonical JSON (object keys sorted, -0 as 0, big integers exact) for set
 * membership and sorting. `skip(path)` lets the caller leave out ignored
 * subtrees; it receives the key or index of each child relative to its parent.
 */
export function canonicalJson<S>(
  root: unknown,
  budget: NodeBudget,
  rootState?: S,
  child?: (state: S, key: string | number) => { state: S; skip: boolean },
): string {
  const out: string[] = [];
  type Work = { text: string } | { value: unknown; state: S | undefined };
  const stack: Work[] = [{ value: root, state: rootState }];
  while (stack.length > 0) {
    const work = stack.pop()!;
    if ('text' in work) {
      out.push(work.text);
      continue;
    }
    budget.spend();
    const value = wireValue(work.value);
    const kind = kindOf(value);
    if (kind === 'array') {
      const items = value as unknown[];
      const parts: Work[] = [{ text: '[' }];
      let first = true;
      for (let i = 0; i < items.length; i += 1) {
        const next = child && work.state !== undefined ? child(work.state, i) : undefined;
        if (next?.skip) continue;
        if (!first) parts.push({ text: ',' });
        parts.push({ value: kindOf(items[i]) === 'absent' ? null : items[i], state: next?.state });
        first = false;
      }
      parts.push({ text: ']' });
      for (let i = parts.length - 1; i >= 0; i -= 1) stack.push(parts[i]!);
    } else if (kind === 'object') {
      const record = value as Record<string, unknown>;
      const parts: Work[] = [{ text: '{' }];
      let first = true;
      for (const key of Object.keys(record).sort()) {
        const item = record[key];
        if (kindOf(item) === 'absent') continue;
        const next = child && work.state !== undefined ? child(work.state, key) : undefined;
        if (next?.skip) continue;
        parts.push({ text: `${first ? '' : ','}${JSON.stringify(key)}:` });
        parts.push({ value: item, state: next?.state });
        first = false;
      }
      parts.push({ text: '}' });
      for (let i = parts.length - 1; i >= 0; i -= 1) stack.push(parts[i]!);
    } else {
      out.push(primitiveText(value, kind === 'absent' ? 'null' : kind));
    }
  }
  return out.join('');
}

/**
 * JSON-ish text for a diff, cut at `maxLength` characters (an ellipsis marks
 * the cut). Stops walking once the limit is reached, so a 50 MB subtree costs
 * no more than a short one, and a cyclic object cannot loop forever.
 */
export function renderValue(root: unknown, maxLength: number): string {
  let length = 0;
  const out: string[] = [];
  const stack: Array<{ text: string } | { value: unknown }> = [{ value: root }];
  const emit = (text: string): void => {
    out.push(text);
    length += text.length;
  };
  while (stack.length > 0 && length <= maxLength) {
    const work = stack.pop()!;
    if ('text' in work) {
      emit(work.text);
      continue;
    }
    const value = wireValue(work.value);
    const kind = kindOf(value);
    if (kind === 'string') {
      // Quote only what can be shown: a huge string is not escaped in full.
      const s = value as string;
      emit(JSON.stringify(s.length > maxLength ? s.slice(0, maxLength) : s));
    } else if (kind === 'number' && Object.is(value, -0)) {
      emit('-0');
    } else if (kind === 'array') {
      const items = value as unknown[];
      const parts: Array<{ text: string } | { value: unknown }> = [{ text: '[' }];
      // Past the length limit nothing more is shown, so never queue more items than characters left.
      const shown = Math.min(items.length, maxLength - length + 1);
      for (let i = 0; i < shown; i += 1) {
        if (i > 0) parts.push({ text: ',' });
        parts.push({ value: items[i] });
      }
      parts.push({ text: ']' });
      for (let i = parts.length - 1; i >= 0; i -= 1) stack.push(parts[i]!);
    } else if (kind === 'object') {
      const record = value as Record<string, unknown>;
      const parts: Array<{ text: string } | { value: unknown }> = [{ text: '{' }];
      let first = true;
      for (const key in record) {
        if (!Object.prototype.hasOwnProperty.call(record, key)) continue;
        if (kindOf(record[key]) === 'absent') continue;
        parts.push({ text: `${first ? '' : ','}${JSON.stringify(key)}:` }, { value: record[key] });
        first = false;
        if (parts.length > 2 * (maxLength - length + 1)) break;
      }
      parts.push({ text: '}' });
      for (let i = parts.length - 1; i >= 0; i -= 1) stack.push(parts[i]!);
    } else {
      emit(kind === 'absent' ? 'undefined' : primitiveText(value, kind));
    }
  }
  const text = out.join('');
  return text.length > maxLength || stack.length > 0 ? `${text.slice(0, maxLength)}…` : text;
}
