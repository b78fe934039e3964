/**
 * At most `limit` asynchronous tasks (a full run's publishes) at once: `submit`
 * starts one and returns once fewer than `limit` are running, so the caller
 * reads its stream on while earlier batches wait for Kafka's acknowledgement.
 * The first failure is thrown by the next `submit` or by `drain`.
 */
export class InFlight {
  private readonly running = new Set<Promise<void>>();
  private failure: { error: unknown } | undefined;

  constructor(private readonly limit: number) {
    if (!Number.isInteger(limit) || limit < 1) throw new Error(`in-flight limit must be a positive integer, got ${limit}`);
  }

  get size(): number {
    return this.running.size;
  }

  async submit(task: () => Promise<void>): Promise<void> {
    this.throwIfFailed();
    const running: Promise<void> = task()
      .catch((error: unknown) => {
        this.failure ??= { error };
      })
      .finally(() => this.running.delete(running));
    this.running.add(running);
    while (this.running.size >= this.limit) await Promise.race(this.running);
    this.throwIfFailed();
  }

  /** Waits for every task; throws the first failure. */
  async drain(): Promise<void> {
    await Promise.all(this.running);
    this.throwIfFailed();
  }

  /** Waits for every task, whatever they did (before giving up on a stream). */
  async settle(): Promise<void> {
    await Promise.allSettled(this.running);
  }

  private throwIfFailed(): void {
    if (this.failure) throw this.failure.error;
  }
}
