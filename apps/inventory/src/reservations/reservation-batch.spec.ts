import { answersInCallerOrder, batchCall, isolatingFailures, KEY_CLAIMED_CONCURRENTLY, type ReserveAnswer, type ReserveCommand, retryingConcurrentClaims } from './reservation-batch';

const command = (idempotencyKey: string, lines: ReserveCommand['lines'], extra: Partial<ReserveCommand> = {}): ReserveCommand => ({
  idempotencyKey,
  requestHash: `hash-${idempotencyKey}`,
  id: `id-${idempotencyKey}`,
  cartToken: `cart-${idempotencyKey}`,
  ttlSeconds: 600,
  lines,
  ...extra,
});

const created = (id: string): ReserveAnswer => ({ outcome: 'created', status: 201, body: { id } });

describe('batchCall', () => {
  it('sends requests in Idempotency-Key order and flattens their lines with 1-based request numbers', () => {
    const call = batchCall([
      command('b', [{ variantId: '7', quantity: 2 }]),
      command('a', [
        { variantId: '5', quantity: 1 },
        { variantId: '9', quantity: 3 },
      ]),
      command('c', [{ variantId: '5', quantity: 4 }], { ttlSeconds: 30 }),
    ]);
    expect(call.order).toEqual([1, 0, 2]);
    expect(call.values).toEqual([
      ['a', 'b', 'c'],
      ['hash-a', 'hash-b', 'hash-c'],
      ['id-a', 'id-b', 'id-c'],
      ['cart-a', 'cart-b', 'cart-c'],
      [600, 600, 30],
      [1, 1, 2, 3],
      ['5', '9', '7', '5'],
      [1, 3, 2, 4],
    ]);
  });

  it('keeps requests that share a key in arrival order, so the first decides and the next replays it', () => {
    const call = batchCall([
      command('k', [{ variantId: '1', quantity: 1 }], { id: 'first' }),
      command('a', [{ variantId: '1', quantity: 1 }]),
      command('k', [{ variantId: '1', quantity: 2 }], { id: 'second' }),
    ]);
    expect(call.order).toEqual([1, 0, 2]);
    expect(call.values[2]).toEqual(['id-a', 'first', 'second']);
  });

  it('orders keys the same way whatever the arrival order (every batch claims keys in one order)', () => {
    const keys = ['x-10', 'x-2', 'X-3', 'ä', 'a', '0'];
    const sorted = (list: string[]) => batchCall(list.map((key) => command(key, []))).values[0];
    expect(sorted(keys)).toEqual(sorted([...keys].reverse()));
    expect(sorted(keys)).toEqual(['0', 'X-3', 'a', 'x-10', 'x-2', 'ä']);
  });
});

describe('answersInCallerOrder', () => {
  it('gives each request the answer of its position in the call', () => {
    const call = batchCall([command('b', []), command('a', []), command('c', [])]);
    expect(answersInCallerOrder(call, [created('a'), created('b'), created('c')])).toEqual([created('b'), created('a'), created('c')]);
  });

  it('refuses a batch answer that does not have one answer per request', () => {
    const call = batchCall([command('a', []), command('b', [])]);
    expect(() => answersInCallerOrder(call, [created('a')])).toThrow('answered 1 times for 2 requests');
  });
});

describe('isolatingFailures', () => {
  it('runs the batch once when it succeeds', async () => {
    const calls: number[][] = [];
    const settled = await isolatingFailures([1, 2, 3], async (items) => {
      calls.push([...items]);
      return items.map((item) => item * 10);
    });
    expect(calls).toEqual([[1, 2, 3]]);
    expect(settled).toEqual([10, 20, 30].map((value) => ({ ok: true, value })));
  });

  it('keeps a poison item from failing its batch-mates: the batch is retried one item at a time', async () => {
    const poison = new Error('poison');
    const calls: number[][] = [];
    const settled = await isolatingFailures([1, 2, 3], async (items) => {
      calls.push([...items]);
      if (items.includes(2)) throw poison;
      return items.map((item) => item * 10);
    });
    expect(calls).toEqual([[1, 2, 3], [1], [2], [3]]);
    expect(settled).toEqual([
      { ok: true, value: 10 },
      { ok: false, error: poison },
      { ok: true, value: 30 },
    ]);
  });

  it('gives a lone item its own error without running it twice', async () => {
    let runs = 0;
    const failure = new Error('down');
    const settled = await isolatingFailures(['only'], async () => {
      runs++;
      throw failure;
    });
    expect(runs).toBe(1);
    expect(settled).toEqual([{ ok: false, error: failure }]);
  });

  it('gives every item a shared fault at once, without running them one by one', async () => {
    const down = new Error('connection refused');
    let runs = 0;
    const settled = await isolatingFailures(
      [1, 2, 3],
      async () => {
        runs++;
        throw down;
      },
      (error) => error === down,
    );
    expect(runs).toBe(1);
    expect(settled).toEqual([1, 2, 3].map(() => ({ ok: false, error: down })));
  });

  it('gives every item the error when each fails alone too', async () => {
    const settled = await isolatingFailures([1, 2], async () => {
      throw new Error('connection refused');
    });
    expect(settled.map((s) => s.ok)).toEqual([false, false]);
  });
});

describe('retryingConcurrentClaims', () => {
  const claimedConcurrently = () => Object.assign(new Error('an Idempotency-Key of this batch was claimed by a concurrent transaction'), { code: KEY_CLAIMED_CONCURRENTLY });

  it('runs a batch that lost a key to a concurrent transaction again, and returns the next answer', async () => {
    let attempts = 0;
    const answer = await retryingConcurrentClaims(async () => {
      attempts++;
      if (attempts < 3) throw claimedConcurrently();
      return 'answers';
    });
    expect({ answer, attempts }).toEqual({ answer: 'answers', attempts: 3 });
  });

  it('gives up after three attempts, and never retries any other error', async () => {
    let attempts = 0;
    await expect(
      retryingConcurrentClaims(async () => {
        attempts++;
        throw claimedConcurrently();
      }),
    ).rejects.toMatchObject({ code: KEY_CLAIMED_CONCURRENTLY });
    expect(attempts).toBe(3);

    attempts = 0;
    const other = Object.assign(new Error('check violation'), { code: '23514' });
    await expect(
      retryingConcurrentClaims(async () => {
        attempts++;
        throw other;
      }),
    ).rejects.toBe(other);
    expect(attempts).toBe(1);
  });
});
