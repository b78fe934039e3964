import { withDeadline } from '@understudy/concurrency';

/**
 * A dependency readiness depends on. `check` resolves when the dependency
 * really answers (a query, a PING, a metadata request) and rejects otherwise.
 * Probes are framework-free; libs that own a client (database, messaging)
 * build them, and the health module runs them.
 */
export interface DependencyProbe {
  readonly name: string;
  /** May resolve with details to show in the readiness answer (e.g. a queue depth). */
  check(): Promise<void | Record<string, unknown>>;
  /**
   * Whether readiness fails when this probe fails (default true). A
   * non-critical dependency the service can work without (say, Redis as a
   * cache) is reported as `degraded` instead.
   */
  readonly critical?: boolean;
}

/** The same probe, reported as degraded rather than failing readiness. */
export function nonCritical(probe: DependencyProbe): DependencyProbe {
  return { name: probe.name, check: () => probe.check(), critical: false };
}

/** Passes when at least one of the probes passes, e.g. "Kafka or the PostgreSQL outbox can take a webhook". */
export function anyOf(name: string, probes: DependencyProbe[], timeoutMs: number): DependencyProbe {
  return {
    name,
    async check() {
      const results = await Promise.allSettled(probes.map((probe) => runProbe(probe, timeoutMs)));
      const answering = probes.filter((_, index) => results[index]!.status === 'fulfilled').map((probe) => probe.name);
      if (answering.length > 0) return { via: answering };
      throw new Error(`none of ${probes.map((p) => p.name).join(', ')} answers`);
    },
  };
}

export class ProbeTimeoutError extends Error {
  constructor(name: string, timeoutMs: number) {
    super(`${name} did not answer within ${timeoutMs} ms`);
    this.name = 'ProbeTimeoutError';
  }
}

/** Runs a probe with a deadline so one hung dependency cannot hang readiness. */
export async function runProbe(probe: DependencyProbe, timeoutMs: number): Promise<void | Record<string, unknown>> {
  return withDeadline(probe.check(), timeoutMs, () => {
    throw new ProbeTimeoutError(probe.name, timeoutMs);
  });
}

/** Anything with Redis's `ping()` (ioredis). */
export function redisProbe(client: { ping(): Promise<string> }, name = 'redis'): DependencyProbe {
  return {
    name,
    async check(): Promise<void> {
      const answer = await client.ping();
      if (answer !== 'PONG') throw new Error(`unexpected PING answer: ${answer}`);
    },
  };
}
