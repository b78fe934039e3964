import { GraphQLError } from 'graphql';

/**
 * Relay connections over the simulator's arrays. Items are addressed by
 * position in a fixed order (ascending id); a cursor is Shopify-shaped —
 * base64 of `{"last_id":…,"last_value":"…"}` — and names the last item's id,
 * so `after` resumes right behind it however the array grows.
 */
export interface ConnectionArgs {
  first?: number | null;
  after?: string | null;
  last?: number | null;
  before?: string | null;
  reverse?: boolean | null;
}

export interface Edge<T> {
  cursor: string;
  node: T;
}

export interface Connection<T> {
  nodes: T[];
  edges: Edge<T>[];
  pageInfo: { hasNextPage: boolean; hasPreviousPage: boolean; startCursor: string | null; endCursor: string | null };
}

export interface Space<T> {
  /** Number of positions. */
  length: number;
  /** The item at a position, or undefined when the position is filtered out. */
  at(position: number): T | undefined;
  /** The id written into the item's cursor. */
  idOf(item: T): number;
  /** First position whose id is ≥ `id`, and whether that item has exactly this id. */
  positionOf(id: number): { low: number; exact: boolean };
}

export function encodeCursor(id: number): string {
  return Buffer.from(JSON.stringify({ last_id: id, last_value: String(id) })).toString('base64');
}

export function decodeCursor(cursor: string): number {
  try {
    const parsed = JSON.parse(Buffer.from(cursor, 'base64').toString('utf8')) as { last_id?: unknown };
    if (typeof parsed.last_id === 'number' && Number.isSafeInteger(parsed.last_id)) return parsed.last_id;
  } catch {
    // fall through
  }
  throw new GraphQLError('Invalid cursor for current pagination sort.');
}

/** Positions are scanned lazily, so a page costs O(page size) unless a filter is very selective. */
export function paginate<T>(space: Space<T>, args: ConnectionArgs, maxScan = Number.POSITIVE_INFINITY): Connection<T> {
  const forward = typeof args.first === 'number' || typeof args.last !== 'number';
  const limit = (forward ? args.first : args.last) ?? 0;
  const reverse = args.reverse === true;
  // In reading order: `reverse` flips the order the list is read in; `last` reads from the end.
  const descending = reverse !== !forward;
  const step = descending ? -1 : 1;
  let start = descending ? space.length - 1 : 0;
  let stop = descending ? -1 : space.length;
  const afterCursor = forward ? args.after : args.before;
  const beforeCursor = forward ? args.before : args.after;
  if (afterCursor) {
    const { low, exact } = space.positionOf(decodeCursor(afterCursor));
    start = descending ? Math.min(start, low - 1) : Math.max(start, exact ? low + 1 : low);
  }
  if (beforeCursor) {
    const { low, exact } = space.positionOf(decodeCursor(beforeCursor));
    stop = descending ? Math.max(stop, exact ? low : low - 1) : Math.min(stop, low);
  }

  const items: T[] = [];
  let hasMore = false;
  let scanned = 0;
  for (let position = start; descending ? position > stop : position < stop; position += step) {
    const item = space.at(position);
    if (item === undefined) {
      if (++scanned > maxScan) break;
      continue;
    }
    if (items.length === limit) {
      hasMore = true;
      break;
    }
    items.push(item);
  }
  if (!forward) items.reverse();

  let edgeCache: Edge<T>[] | undefined;
  const edges = () => (edgeCache ??= items.map((node) => ({ cursor: encodeCursor(space.idOf(node)), node })));
  const first = items[0];
  const last = items[items.length - 1];
  return {
    nodes: items,
    get edges() {
      return edges();
    },
    pageInfo: {
      hasNextPage: forward ? hasMore : !!beforeCursor,
      hasPreviousPage: forward ? !!afterCursor : hasMore,
      startCursor: first === undefined ? null : encodeCursor(space.idOf(first)),
      endCursor: last === undefined ? null : encodeCursor(space.idOf(last)),
    },
  };
}

/** A space over an array whose ids ascend with the index (the seeded catalogue). */
export function arraySpace<T extends { id: number }>(items: readonly T[], include?: (item: T) => boolean): Space<T> {
  return {
    length: items.length,
    at: (position) => {
      const item = items[position];
      return item && (!include || include(item)) ? item : undefined;
    },
    idOf: (item) => item.id,
    positionOf: (id) => lowerBound(items.length, (i) => items[i]!.id, id),
  };
}

/** First position whose key is ≥ `value` (or `length`), and whether its key equals `value`. */
export function lowerBound(length: number, keyAt: (position: number) => number, value: number): { low: number; exact: boolean } {
  let low = 0;
  let high = length;
  while (low < high) {
    const middle = (low + high) >>> 1;
    if (keyAt(middle) < value) low = middle + 1;
    else high = middle;
  }
  return { low, exact: low < length && keyAt(low) === value };
}
