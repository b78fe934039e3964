/**
 * A dependency readiness depends on. `check` resolves when the dependency
 * really answers (a query, a PING, a metadata request) and rejects otherwise.
 * Probes are framework-free; libs that own a client (database, messaging)
 * build them, and the health module runs them.
 */
export interface DependencyProbe {
  readonly name: string;
  check(): Promise<void>;
}

export class ProbeTimeoutError extends Error {
  constructor(name: string, timeoutMs: number) {
    super(`${name} did not answer within ${timeoutMs} ms`);
    this.name = 'ProbeTimeoutError';
  }
}

/** Runs a probe with a deadline so one hung dependency cannot hang readiness. */
export async function runProbe(probe: DependencyProbe, timeoutMs: number): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  try {
    await Promise.race([
      probe.check(),
      new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(new ProbeTimeoutError(probe.name, timeoutMs)), timeoutMs);
      }),
    ]);
  } finally {
    clearTimeout(timer);
  }
}

/** Anything with Redis's `ping()` (ioredis). */
export function redisProbe(client: { ping(): Promise<string> }, name = 'redis'): DependencyProbe {
  return {
    name,
    async check() {
      const answer = await client.ping();
      if (answer !== 'PONG') throw new Error(`unexpected PING answer: ${answer}`);
    },
  };
}
