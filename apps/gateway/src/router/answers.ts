import type { ResponseSide } from '@understudy/comparison';
import { type ErrorBodyContract, errorBody, type ValidationIssue, validationFailedBody } from '@understudy/contracts';
import type { Upstream } from '../routes/bucketing';
import type { CallResult } from '../upstream/upstream-client';

/** What the client gets: an upstream's answer relayed unchanged, or the gateway's own error in the platform shape. */
export interface Answer {
  readonly status: number;
  readonly body: Buffer | string;
  readonly contentType: string;
  /** Which upstream produced the body; `gateway` for the gateway's own errors. */
  readonly upstream: Upstream | 'gateway';
  readonly replayed: boolean;
  /** Sent as `Retry-After` (the gateway's own 409/503/504 on a keyed write). */
  readonly retryAfterSeconds?: number;
}

/** What the comparison sees of a call: a 5xx or a failed call is a failed side. */
export function toSide(result: CallResult): ResponseSide {
  if (result.kind === 'failed') return { failure: result.failure === 'timeout' ? 'timeout' : 'error', detail: result.failure === 'error' ? result.detail : `${result.failure}: ${result.detail}` };
  if (result.status >= 500) return { failure: 'error', detail: `HTTP ${result.status}` };
  return { status: result.status, body: result.body, contentType: result.contentType };
}

export function toAnswer(result: CallResult, upstream: Upstream): Answer {
  if (result.kind === 'response') {
    return { status: result.status, body: result.body, contentType: result.contentType ?? 'application/json', upstream, replayed: result.replayed };
  }
  switch (result.failure) {
    case 'timeout':
      return gatewayError(504, 'UPSTREAM_TIMEOUT', `the ${upstream} did not answer in time`);
    case 'open':
      return gatewayError(503, 'UPSTREAM_UNAVAILABLE', `the ${upstream} is failing; its circuit breaker is open`);
    case 'too_large':
      return gatewayError(502, 'UPSTREAM_ANSWER_TOO_LARGE', `the ${upstream} answered more than the gateway relays`);
    default:
      return gatewayError(502, 'UPSTREAM_UNAVAILABLE', `the ${upstream} could not be reached`);
  }
}

export function gatewayError(status: number, code: string, message: string, details?: unknown): Answer {
  return errorAnswer(status, errorBody(code, message, details));
}

/** The platform's one 400 for invalid input (libs/contracts validationFailedBody), as the gateway's own answer. */
export function gatewayValidationFailed(issues: ValidationIssue[]): Answer {
  return errorAnswer(400, validationFailedBody(issues));
}

function errorAnswer(status: number, body: ErrorBodyContract): Answer {
  return { status, body: JSON.stringify(body), contentType: 'application/json; charset=utf-8', upstream: 'gateway', replayed: false };
}

/** Whether a failed call may have been seen by the upstream: a 5xx, a timeout, a connection lost after sending. Only a refused or never-made connection (or an open breaker) is certain not to have been. */
export function mayHaveReached(result: CallResult): boolean {
  return result.kind === 'response' || result.reached;
}

/**
 * The answer to a write the module failed after it may have applied it: not
 * retried on the monolith, and said so. A 5xx is the module's own answer and
 * is relayed; a timeout or a broken connection is the gateway's 504 / 502.
 */
export function writeNotRetried(result: CallResult): Answer {
  if (result.kind === 'response') return toAnswer(result, 'module');
  const details = { upstream: 'module', mayHaveBeenApplied: true };
  const advice = 'it may have been applied, so it was not repeated on the monolith; retry with the same Idempotency-Key';
  if (result.failure === 'timeout') return gatewayError(504, 'UPSTREAM_TIMEOUT', `the module did not answer this write in time: ${advice}`, details);
  return gatewayError(502, 'UPSTREAM_UNAVAILABLE', `the connection to the module failed during this write: ${advice}`, details);
}
