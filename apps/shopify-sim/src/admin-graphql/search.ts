/**
 * A small part of Shopify's search syntax for `query:` arguments: space-
 * separated `field:value` terms, all of which must match, with optional
 * comparators (`updated_at:>2026-01-01`, `id:>=123`) and quoted values.
 * Fields a connection does not know are ignored.
 */
export type Accessor<T> = (item: T) => string | number | boolean | null;

interface Term {
  field: string;
  operator: '=' | '>' | '>=' | '<' | '<=';
  value: string;
}

export function parseSearch(query: string | null | undefined): Term[] {
  if (!query) return [];
  const terms: Term[] = [];
  const pattern = /(\w+):(>=|<=|>|<)?("([^"]*)"|'([^']*)'|\S+)/g;
  for (const match of query.matchAll(pattern)) {
    const value = match[4] ?? match[5] ?? match[3]!;
    terms.push({ field: match[1]!.toLowerCase(), operator: (match[2] as Term['operator'] | undefined) ?? '=', value });
  }
  return terms;
}

export function matcher<T>(query: string | null | undefined, accessors: Record<string, Accessor<T>>): ((item: T) => boolean) | undefined {
  const terms = parseSearch(query).filter((term) => accessors[term.field]);
  if (terms.length === 0) return undefined;
  return (item) => terms.every((term) => compare(accessors[term.field]!(item), term));
}

function compare(actual: string | number | boolean | null, term: Term): boolean {
  if (actual === null) return false;
  if (typeof actual === 'boolean') return String(actual) === term.value.toLowerCase();
  let left: number | string = actual;
  let right: number | string = term.value;
  if (typeof actual === 'number') {
    const parsed = /^\d{4}-\d{2}-\d{2}/.test(term.value) ? Date.parse(term.value) : Number(term.value.replace(/^gid:\/\/shopify\/\w+\//, ''));
    if (Number.isNaN(parsed)) return false;
    right = parsed;
  } else {
    left = actual.toLowerCase();
    right = term.value.toLowerCase();
  }
  switch (term.operator) {
    case '=':
      return typeof left === 'string' && typeof right === 'string' && right.endsWith('*') ? left.startsWith(right.slice(0, -1)) : left === right;
    case '>':
      return left > right;
    case '>=':
      return left >= right;
    case '<':
      return left < right;
    case '<=':
      return left <= right;
  }
}
