import type { FailureKind } from './chunk-processor';

/**
 * Thrown by a handler for a message that can never succeed (bad schema,
 * impossible values): it goes to the dead-letter topic at once, without retries.
 */
export class PoisonMessageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'PoisonMessageError';
  }
}

/** Thrown by a handler when a dependency failed, not the message: retried without limit, never dead-lettered. */
export class TransientError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'TransientError';
  }
}

/** Socket-level failures: the network or the server is away, the message is fine. */
const NETWORK_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EPIPE', 'ENOTFOUND', 'EAI_AGAIN', 'EHOSTUNREACH', 'ENETUNREACH', 'ECONNABORTED']);

/**
 * The default classification of a handler's failure. `isTransient` lets an
 * app add what it knows (e.g. libs/database's SQLSTATE classes); a poison
 * marker always wins, so a handler can say "this message's data" explicitly.
 */
export function classifyFailure(error: unknown, isTransient?: (error: unknown) => boolean): FailureKind {
  if (error instanceof PoisonMessageError) return 'poison';
  if (error instanceof TransientError) return 'transient';
  const code = (error as { code?: unknown } | null)?.code;
  if (typeof code === 'string' && NETWORK_CODES.has(code)) return 'transient';
  if (isTransient?.(error)) return 'transient';
  return 'unknown';
}
