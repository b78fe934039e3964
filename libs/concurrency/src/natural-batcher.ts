export class QueueFullError extends Error {
  constructor(readonly limit: number) {
    super(`queue is full (${limit} items waiting)`);
    this.name = 'QueueFullError';
  }
}

export class BatcherClosedError extends Error {
  constructor() {
    super('batcher is closed');
    this.name = 'BatcherClosedError';
  }
}

export interface NaturalBatcherOptions {
  /** Most items handed to one flush. */
  maxBatchSize?: number;
  /** Items allowed to wait; past it `submit` rejects with QueueFullError (never an unbounded queue). */
  maxQueued?: number;
  /** Flushes allowed in flight at once (1 keeps submission order end to end). */
  concurrency?: number;
}

interface Waiting<I, O> {
  item: I;
  resolve: (result: O) => void;
  reject: (error: unknown) => void;
}

/**
 * Natural batching: an idle batcher flushes an item at once (no linger delay),
 * and while flushes are in flight new items queue up and go together in the
 * next one. Under load, batches grow by themselves; at low load, latency is
 * one round trip. `flush` returns one result per item, in order; if it throws,
 * every item of that batch is rejected with the error.
 */
export class NaturalBatcher<I, O = void> {
  private queue: Array<Waiting<I, O>> = [];
  private inFlight = 0;
  private closed = false;
  private readonly idleWaiters: Array<() => void> = [];
  private readonly maxBatchSize: number;
  private readonly maxQueued: number;
  private readonly concurrency: number;

  constructor(
    private readonly flush: (items: I[]) => Promise<O[]>,
    options: NaturalBatcherOptions = {},
  ) {
    this.maxBatchSize = options.maxBatchSize ?? 1_000;
    this.maxQueued = options.maxQueued ?? 50_000;
    this.concurrency = options.concurrency ?? 1;
  }

  get queued(): number {
    return this.queue.length;
  }

  submit(item: I): Promise<O> {
    if (this.closed) return Promise.reject(new BatcherClosedError());
    if (this.queue.length >= this.maxQueued) return Promise.reject(new QueueFullError(this.maxQueued));
    return new Promise<O>((resolve, reject) => {
      this.queue.push({ item, resolve, reject });
      this.pump();
    });
  }

  /** Stops accepting items and waits for everything queued to be flushed. */
  async close(): Promise<void> {
    this.closed = true;
    await this.idle();
  }

  /** Resolves once nothing is queued or in flight. */
  idle(): Promise<void> {
    if (this.inFlight === 0 && this.queue.length === 0) return Promise.resolve();
    return new Promise((resolve) => this.idleWaiters.push(resolve));
  }

  private pump(): void {
    while (this.inFlight < this.concurrency && this.queue.length > 0) {
      const batch = this.queue.splice(0, this.maxBatchSize);
      this.inFlight++;
      void this.run(batch).finally(() => {
        this.inFlight--;
        this.pump();
        if (this.inFlight === 0 && this.queue.length === 0) this.idleWaiters.splice(0).forEach((wake) => wake());
      });
    }
  }

  private async run(batch: Array<Waiting<I, O>>): Promise<void> {
    try {
      const results = await this.flush(batch.map((waiting) => waiting.item));
      if (results.length !== batch.length) throw new Error(`flush returned ${results.length} results for ${batch.length} items`);
      batch.forEach((waiting, index) => waiting.resolve(results[index]!));
    } catch (error) {
      for (const waiting of batch) waiting.reject(error);
    }
  }
}
