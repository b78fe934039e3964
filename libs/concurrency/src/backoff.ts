export interface BackoffOptions {
  /** The first retry's ceiling. */
  baseMs: number;
  maxMs: number;
  /**
   * `full`: a random wait in [0, ceiling] (spreads retries most; for calls to a shared API).
   * `equal`: half the ceiling plus a random half (never retries at once; for consumers).
   */
  jitter?: 'full' | 'equal';
}

/** Exponential backoff, capped, jittered: the ceiling is min(max, base × 2^attempt), `attempt` counting from 0. */
export function backoffDelay(attempt: number, { baseMs, maxMs, jitter = 'full' }: BackoffOptions, random: () => number = Math.random): number {
  const ceiling = Math.min(maxMs, baseMs * 2 ** Math.max(0, attempt));
  return Math.round(jitter === 'full' ? random() * ceiling : ceiling / 2 + random() * (ceiling / 2));
}
