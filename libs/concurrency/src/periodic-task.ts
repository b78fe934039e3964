export interface PeriodicTaskOptions {
  /** From the end of one run to the start of the next. */
  readonly intervalMs: number;
  readonly run: () => Promise<unknown>;
  /** Hears a run that threw; the next run comes as usual. */
  readonly onError?: (error: unknown) => void;
  /** Run once as soon as started (else the first run waits an interval). */
  readonly runAtStart?: boolean;
}

/**
 * Runs a task on a timer, one run at a time: the next starts `intervalMs` after
 * the last one ended, so a slow run delays the next instead of overlapping it.
 * The timer never keeps the process alive. `stop()` cancels the next run and
 * resolves once a run in progress has ended, so a service can close its
 * connections after it (the background jobs of inventory, pricing and
 * webhook-ingest are these).
 */
export class PeriodicTask {
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<void> | undefined;
  private started = false;
  private stopped = false;

  constructor(private readonly options: PeriodicTaskOptions) {}

  start(): void {
    if (this.started || this.stopped) return;
    this.started = true;
    this.schedule(this.options.runAtStart ? 0 : this.options.intervalMs);
  }

  async stop(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.timer);
    await this.running;
  }

  private schedule(delayMs: number): void {
    if (this.stopped) return;
    this.timer = setTimeout(() => {
      this.running = Promise.resolve()
        .then(this.options.run)
        .then(
          () => undefined,
          (error: unknown) => this.options.onError?.(error),
        )
        .finally(() => {
          this.running = undefined;
          this.schedule(this.options.intervalMs);
        });
    }, delayMs);
    this.timer.unref();
  }
}
