/**
 * A dependency's up/down state as seen by the code that uses it, so an
 * outage is logged once when it starts and once when it ends, not once per
 * failed attempt (a retry loop or a stream of requests would log thousands).
 */
export class OutageLog {
  private down = false;
  private failures = 0;

  constructor(
    private readonly report: {
      /** The first failure after success (or at start). */
      down: (error: unknown) => void;
      /** The first success after failures; `failures` is how many there were. */
      up: (failures: number) => void;
    },
  ) {}

  get isDown(): boolean {
    return this.down;
  }

  /** Consecutive failures so far (0 while up): the attempt number for a backoff. */
  get consecutiveFailures(): number {
    return this.failures;
  }

  failed(error: unknown): void {
    this.failures++;
    if (this.down) return;
    this.down = true;
    this.report.down(error);
  }

  succeeded(): void {
    if (!this.down) return;
    const failures = this.failures;
    this.down = false;
    this.failures = 0;
    this.report.up(failures);
  }
}
