/**
 * Group commit for reservations, the part without a database: how concurrent
 * requests become one call of `inventory_reserve_batch`, how its answers find
 * their requests again, and how one request's failure is kept from failing its
 * batch-mates. The SQL side (locks, allocation) is in the ReserveBatch migration.
 */

/** One reservation request, normalized and ready for the database. */
export interface ReserveCommand {
  idempotencyKey: string;
  requestHash: string;
  /** The reservation's id if it is created. */
  id: string;
  cartToken: string;
  ttlSeconds: number;
  /** One line per variant, in variant id order (normalizeReservation). */
  lines: ReadonlyArray<{ variantId: string; quantity: number }>;
}

/** What inventory_reserve_batch answers for one request. */
export type ReserveAnswer =
  | { outcome: 'created' | 'insufficient' | 'replayed'; status: number; body: unknown }
  | { outcome: 'key_reused' | 'in_use' }
  | { outcome: 'unknown_variant'; variants: string[] };

/** The parameters of one inventory_reserve_batch call, and which request each answer belongs to. */
export interface BatchCall {
  /** `order[k]` is the index (in the caller's list) of the k-th request sent. */
  order: number[];
  values: [string[], string[], string[], string[], number[], number[], string[], number[]];
}

/**
 * Requests are sent in Idempotency-Key order (ties: arrival order). Keys are
 * claimed in that order inside the transaction, before its stock locks (which
 * are taken in item order), so two batches that share keys or items cannot wait
 * on each other in a cycle. Two requests
 * with the same key in one batch stay in arrival order: the first one decides,
 * the second is its replay (or a 422 if its body differs).
 */
export function batchCall(commands: readonly ReserveCommand[]): BatchCall {
  const order = commands.map((_, index) => index).sort((a, b) => compareKeys(commands[a]!.idempotencyKey, commands[b]!.idempotencyKey) || a - b);
  const values: BatchCall['values'] = [[], [], [], [], [], [], [], []];
  const [keys, hashes, ids, cartTokens, ttls, lineRequests, lineVariants, lineQuantities] = values;
  order.forEach((index, position) => {
    const command = commands[index]!;
    keys.push(command.idempotencyKey);
    hashes.push(command.requestHash);
    ids.push(command.id);
    cartTokens.push(command.cartToken);
    ttls.push(command.ttlSeconds);
    for (const line of command.lines) {
      lineRequests.push(position + 1); // PostgreSQL arrays are 1-based
      lineVariants.push(line.variantId);
      lineQuantities.push(line.quantity);
    }
  });
  return { order, values };
}

/** The batch's answers (in the order sent) back in the caller's order. */
export function answersInCallerOrder(call: BatchCall, answers: readonly ReserveAnswer[]): ReserveAnswer[] {
  if (answers.length !== call.order.length) throw new Error(`inventory_reserve_batch answered ${answers.length} times for ${call.order.length} requests`);
  const inOrder = new Array<ReserveAnswer>(answers.length);
  call.order.forEach((index, position) => (inOrder[index] = answers[position]!));
  return inOrder;
}

/** Any total order will do, as long as every batch of every replica uses the same one: UTF-16 code units. */
function compareKeys(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/**
 * SQLSTATE of a batch that found one of its Idempotency-Keys claimed by a concurrent transaction when it
 * wrote them (raised by inventory_reserve_batch, migration ReserveBatchSingleWrite): it stored nothing.
 */
export const KEY_CLAIMED_CONCURRENTLY = 'UR001';
const CLAIM_ATTEMPTS = 3;

/**
 * Runs a batch again while it lost a key to a concurrent transaction: by then that transaction has
 * committed (the INSERT waited for it), so the next attempt reads the key's answer and replays it. Each
 * attempt needs another transaction to have claimed a key of the batch first, so this ends; after
 * CLAIM_ATTEMPTS the error goes to the caller (isolatingFailures then runs the requests one by one).
 */
export async function retryingConcurrentClaims<T>(attempt: () => Promise<T>): Promise<T> {
  for (let tries = 1; ; tries++) {
    try {
      return await attempt();
    } catch (error) {
      if (tries >= CLAIM_ATTEMPTS || (error as { code?: unknown } | undefined)?.code !== KEY_CLAIMED_CONCURRENTLY) throw error;
    }
  }
}

export type Settled<T> = { ok: true; value: T } | { ok: false; error: unknown };

/**
 * Runs a batch together; if that throws, runs each item alone, so the error
 * reaches only the item that causes it (a poison request cannot fail its
 * batch-mates). Nothing of a failed batch was stored — it is one transaction —
 * so running its items again is safe; answers to a batch are all-or-nothing.
 * An error that is nobody's fault (`sharedFault`: the database is down, a
 * deadline passed) goes to every item at once instead: running them one by
 * one would only make the last one wait for every item's deadline in turn.
 */
export async function isolatingFailures<I, O>(
  items: readonly I[],
  runMany: (items: readonly I[]) => Promise<O[]>,
  sharedFault: (error: unknown) => boolean = () => false,
): Promise<Array<Settled<O>>> {
  try {
    return (await runMany(items)).map((value) => ({ ok: true, value }));
  } catch (error) {
    if (items.length === 1 || sharedFault(error)) return items.map(() => ({ ok: false, error }));
    const alone: Array<Settled<O>> = [];
    // One after another: they would queue on the same row locks anyway.
    for (const item of items) {
      try {
        const [value] = await runMany([item]);
        alone.push({ ok: true, value: value! });
      } catch (itemError) {
        alone.push({ ok: false, error: itemError });
      }
    }
    return alone;
  }
}
