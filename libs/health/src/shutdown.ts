/**
 * Process lifecycle as seen by readiness. Once shutdown starts, readiness
 * answers 503 so load balancers stop sending new work while in-flight
 * requests finish and consumers leave their groups.
 */
export class Lifecycle {
  private shuttingDown = false;

  get isShuttingDown(): boolean {
    return this.shuttingDown;
  }

  beginShutdown(): void {
    this.shuttingDown = true;
  }
}

export interface GracefulShutdownOptions {
  /** Readiness turns 503 for this long before the server stops accepting (lets load balancers notice). */
  drainDelayMs: number;
  /** Hard limit on the whole shutdown; past it the process exits with code 1. */
  timeoutMs: number;
  /** Closes the app: HTTP server (waits for in-flight requests), consumers, pools. */
  close: () => Promise<void>;
  log: (message: string, details?: Record<string, unknown>) => void;
  exit?: (code: number) => void;
  signals?: NodeJS.Signals[];
}

/**
 * Installs SIGTERM/SIGINT handlers: mark not-ready → wait the drain delay →
 * close everything → exit 0; exit 1 if it takes longer than the timeout. A
 * second signal while shutting down is ignored (the deadline still applies).
 */
export function installGracefulShutdown(lifecycle: Lifecycle, options: GracefulShutdownOptions): () => void {
  const exit = options.exit ?? ((code: number) => process.exit(code));
  const signals = options.signals ?? ['SIGTERM', 'SIGINT'];

  const onSignal = (signal: NodeJS.Signals) => {
    if (lifecycle.isShuttingDown) return;
    lifecycle.beginShutdown();
    options.log('shutdown started', { signal, drainDelayMs: options.drainDelayMs, timeoutMs: options.timeoutMs });
    const deadline = setTimeout(() => {
      options.log('shutdown timed out; exiting', { timeoutMs: options.timeoutMs });
      exit(1);
    }, options.timeoutMs);
    deadline.unref();
    void (async () => {
      try {
        await new Promise((resolve) => setTimeout(resolve, options.drainDelayMs));
        await options.close();
        options.log('shutdown complete');
        clearTimeout(deadline);
        exit(0);
      } catch (error) {
        options.log('shutdown failed', { error: error instanceof Error ? error.message : String(error) });
        clearTimeout(deadline);
        exit(1);
      }
    })();
  };

  for (const signal of signals) process.on(signal, onSignal);
  return () => {
    for (const signal of signals) process.off(signal, onSignal);
  };
}
