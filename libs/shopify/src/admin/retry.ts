/**
 * What to do with one Admin API response: use it, wait for the bucket
 * (THROTTLED), back off and retry (429, 5xx, network errors, timeouts), or
 * give up (any other 4xx, GraphQL errors that retrying cannot fix such as
 * MAX_COST_EXCEEDED or a validation error).
 */
export type Outcome =
  | { kind: 'ok' }
  | { kind: 'throttled' }
  | { kind: 'retryable'; reason: string; retryAfterMs?: number }
  | { kind: 'fatal'; reason: string };

export interface ResponseFacts {
  /** HTTP status; undefined when no response arrived (network error, timeout). */
  status?: number;
  graphQLErrors?: ReadonlyArray<{ message?: string; extensions?: { code?: unknown } }>;
  retryAfter?: string | null;
  networkError?: string;
}

export function classifyResponse(facts: ResponseFacts): Outcome {
  if (facts.status === undefined) return { kind: 'retryable', reason: facts.networkError ?? 'network error' };
  if (facts.status === 429) return { kind: 'retryable', reason: 'HTTP 429', retryAfterMs: parseRetryAfter(facts.retryAfter) };
  if (facts.status >= 500) return { kind: 'retryable', reason: `HTTP ${facts.status}`, retryAfterMs: parseRetryAfter(facts.retryAfter) };
  if (facts.status < 200 || facts.status >= 300) return { kind: 'fatal', reason: `HTTP ${facts.status}` };
  const errors = facts.graphQLErrors ?? [];
  if (errors.some((error) => error.extensions?.code === 'THROTTLED')) return { kind: 'throttled' };
  if (errors.some((error) => error.extensions?.code === 'INTERNAL_SERVER_ERROR')) return { kind: 'retryable', reason: 'INTERNAL_SERVER_ERROR' };
  if (errors.length > 0) {
    const codes = errors.map((error) => (typeof error.extensions?.code === 'string' ? error.extensions.code : error.message ?? 'error'));
    return { kind: 'fatal', reason: `GraphQL errors: ${codes.join(', ')}` };
  }
  return { kind: 'ok' };
}

/** `Retry-After` in seconds (Shopify's form) or an HTTP date. */
export function parseRetryAfter(value: string | null | undefined, now = Date.now()): number | undefined {
  if (!value) return undefined;
  const seconds = Number(value);
  if (Number.isFinite(seconds) && seconds >= 0) return Math.round(seconds * 1000);
  const date = Date.parse(value);
  return Number.isNaN(date) ? undefined : Math.max(0, date - now);
}

/** Retries back off exponentially with full jitter (the one helper, in libs/concurrency). */
export { backoffDelay, type BackoffOptions } from '@understudy/concurrency';
