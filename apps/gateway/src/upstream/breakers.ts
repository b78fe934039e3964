import CircuitBreaker from 'opossum';
import { type CallResult, type FailedCall, isFailure } from './upstream-client';
import type { CallRole } from './upstreams';

export type BreakerState = 'closed' | 'open' | 'half_open';
export type BreakerSide = 'monolith' | 'module';

export interface BreakerOptions {
  errorThresholdPercentage: number;
  volumeThreshold: number;
  resetTimeoutMs: number;
  rollingWindowMs: number;
}

/** Carries a failed (or 5xx) result through opossum so it counts against the upstream. */
class UpstreamFailure extends Error {
  constructor(readonly result: CallResult) {
    super('upstream failure');
  }
}

type Call = () => Promise<CallResult>;

/**
 * One opossum circuit breaker per route, upstream side and call role: a
 * module failing on `inventory.reserve` does not stop `inventory.check` from
 * calling it, and shadow calls — held to the much shorter shadow timeout —
 * have breakers of their own: a monolith answering in 600 ms fails every
 * 500 ms shadow and opens its shadow breaker, while the breaker its
 * fallbacks go through (primary timeout) stays closed. A dead module still
 * stops being called in the shadow: its shadow breaker opens on its own.
 * Calls never throw: an open breaker answers a `failed`/`open` result at once,
 * which the router treats like any other failure (fallback, `error`).
 * Timeouts are the client's (it aborts the request); opossum's own timeout
 * would leave the request running.
 */
export class Breakers {
  private readonly breakers = new Map<string, CircuitBreaker<[Call], CallResult>>();

  constructor(
    private readonly options: BreakerOptions,
    private readonly onStateChange: (route: string, side: BreakerSide, role: CallRole, state: BreakerState) => void = () => undefined,
  ) {}

  async call(route: string, side: BreakerSide, role: CallRole, call: Call): Promise<CallResult> {
    const breaker = this.breaker(route, side, role);
    try {
      return await breaker.fire(call);
    } catch (error) {
      if (error instanceof UpstreamFailure) return error.result;
      const open = (error as { code?: string }).code === 'EOPENBREAKER';
      const failed: FailedCall = { kind: 'failed', failure: open ? 'open' : 'error', detail: open ? 'circuit breaker open' : String(error), reached: !open, ms: 0 };
      return failed;
    }
  }

  state(route: string, side: BreakerSide, role: CallRole = 'primary'): BreakerState {
    const breaker = this.breakers.get(breakerKey(route, side, role));
    if (!breaker) return 'closed';
    return breaker.opened ? 'open' : breaker.halfOpen ? 'half_open' : 'closed';
  }

  shutdown(): void {
    for (const breaker of this.breakers.values()) breaker.shutdown();
    this.breakers.clear();
  }

  private breaker(route: string, side: BreakerSide, role: CallRole): CircuitBreaker<[Call], CallResult> {
    const key = breakerKey(route, side, role);
    let breaker = this.breakers.get(key);
    if (breaker) return breaker;
    breaker = new CircuitBreaker<[Call], CallResult>(
      async (call: Call) => {
        const result = await call();
        if (isFailure(result)) throw new UpstreamFailure(result);
        return result;
      },
      {
        name: key,
        timeout: false,
        errorThresholdPercentage: this.options.errorThresholdPercentage,
        volumeThreshold: this.options.volumeThreshold,
        resetTimeout: this.options.resetTimeoutMs,
        rollingCountTimeout: this.options.rollingWindowMs,
        rollingCountBuckets: 10,
        // An answer too big to keep is the gateway's limit, not the upstream's fault.
        errorFilter: (error: unknown) => error instanceof UpstreamFailure && error.result.kind === 'failed' && error.result.failure === 'too_large',
      },
    );
    breaker.on('open', () => this.onStateChange(route, side, role, 'open'));
    breaker.on('halfOpen', () => this.onStateChange(route, side, role, 'half_open'));
    breaker.on('close', () => this.onStateChange(route, side, role, 'closed'));
    this.breakers.set(key, breaker);
    return breaker;
  }
}

function breakerKey(route: string, side: BreakerSide, role: CallRole): string {
  return `${route}\u0000${side}\u0000${role}`;
}
