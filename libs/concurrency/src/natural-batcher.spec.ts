import { BatcherClosedError, NaturalBatcher, QueueFullError } from './natural-batcher';

function deferred() {
  let release!: () => void;
  const promise = new Promise<void>((resolve) => (release = resolve));
  return { promise, release };
}

describe('NaturalBatcher', () => {
  it('flushes a lone item at once, and batches what arrives while a flush is in flight', async () => {
    const batches: number[][] = [];
    const gate = deferred();
    const batcher = new NaturalBatcher<number, number>(async (items) => {
      batches.push(items);
      if (batches.length === 1) await gate.promise;
      return items.map((n) => n * 10);
    });
    const first = batcher.submit(1);
    const rest = [2, 3, 4].map((n) => batcher.submit(n));
    gate.release();
    expect(await first).toBe(10);
    expect(await Promise.all(rest)).toEqual([20, 30, 40]);
    expect(batches).toEqual([[1], [2, 3, 4]]);
  });

  it('rejects every item of a failed batch and keeps going', async () => {
    let calls = 0;
    const batcher = new NaturalBatcher<string>(async (items) => {
      calls++;
      if (calls === 1) throw new Error('broker down');
      return items.map(() => undefined);
    });
    await expect(batcher.submit('a')).rejects.toThrow('broker down');
    await expect(batcher.submit('b')).resolves.toBeUndefined();
  });

  it('caps the batch size and the queue', async () => {
    const sizes: number[] = [];
    const gate = deferred();
    const batcher = new NaturalBatcher<number>(
      async (items) => {
        sizes.push(items.length);
        await gate.promise;
        return items.map(() => undefined);
      },
      { maxBatchSize: 2, maxQueued: 3 },
    );
    const accepted = [1, 2, 3, 4].map((n) => batcher.submit(n));
    await expect(batcher.submit(5)).rejects.toBeInstanceOf(QueueFullError);
    gate.release();
    await Promise.all(accepted);
    expect(sizes).toEqual([1, 2, 1]);
  });

  it('runs several flushes at once when asked, and drains on close', async () => {
    let concurrent = 0;
    let peak = 0;
    const batcher = new NaturalBatcher<number>(
      async (items) => {
        concurrent++;
        peak = Math.max(peak, concurrent);
        await new Promise((resolve) => setTimeout(resolve, 5));
        concurrent--;
        return items.map(() => undefined);
      },
      { concurrency: 3, maxBatchSize: 1 },
    );
    const all = Array.from({ length: 9 }, (_, n) => batcher.submit(n));
    await batcher.close();
    await Promise.all(all);
    expect(peak).toBe(3);
    await expect(batcher.submit(1)).rejects.toBeInstanceOf(BatcherClosedError);
  });
});
