/**
 * What a client saw during a fault scenario, attempt by attempt: the HTTP
 * status (or how the attempt failed without one) and how long it took, by
 * phase. Pure bookkeeping; the figures are reported, never asserted on.
 */
export type Outcome = number | 'refused' | 'reset' | 'timeout' | 'error';

export interface Attempt {
  phase: string;
  outcome: Outcome;
  ms: number;
}

export interface PhaseSummary {
  phase: string;
  attempts: number;
  /** Outcome → count, e.g. `{"200": 412, "503": 3, "refused": 17}`. */
  outcomes: Record<string, number>;
  p50: number | null;
  p99: number | null;
  max: number | null;
}

export class Recorder {
  private readonly attempts: Attempt[] = [];
  phase = 'before';

  record(outcome: Outcome, ms: number, phase = this.phase): void {
    this.attempts.push({ phase, outcome, ms });
  }

  all(): readonly Attempt[] {
    return this.attempts;
  }

  /** One summary per phase in the order phases were first seen, then `all`. */
  summary(): PhaseSummary[] {
    const phases = [...new Set(this.attempts.map((attempt) => attempt.phase))];
    return [...phases.map((phase) => summarize(phase, this.attempts.filter((attempt) => attempt.phase === phase))), summarize('all', this.attempts)];
  }
}

export function summarize(phase: string, attempts: readonly Attempt[]): PhaseSummary {
  const outcomes: Record<string, number> = {};
  for (const { outcome } of attempts) outcomes[String(outcome)] = (outcomes[String(outcome)] ?? 0) + 1;
  const sorted = attempts.map((attempt) => attempt.ms).sort((a, b) => a - b);
  return { phase, attempts: attempts.length, outcomes, p50: quantile(sorted, 0.5), p99: quantile(sorted, 0.99), max: sorted.at(-1) ?? null };
}

/** Nearest-rank quantile of sorted values, rounded to 0.1 ms; null for none. */
export function quantile(sorted: readonly number[], q: number): number | null {
  if (sorted.length === 0) return null;
  const rank = Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1));
  return Math.round(sorted[rank]! * 10) / 10;
}

/** How a failed fetch failed, from undici's error causes. */
export function failureOutcome(error: unknown): Outcome {
  const cause = (error as { cause?: { code?: string; name?: string } }).cause;
  const name = (error as { name?: string }).name;
  if (name === 'TimeoutError' || name === 'AbortError') return 'timeout';
  if (cause?.code === 'ECONNREFUSED') return 'refused';
  if (cause?.code === 'ECONNRESET' || cause?.code === 'UND_ERR_SOCKET' || cause?.code === 'EPIPE') return 'reset';
  return 'error';
}
