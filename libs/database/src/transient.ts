import { sqlErrorKind, sqlStateOf } from './sql-state';

/** The pool has no connection to give (the data source is not connected yet: it connects in the background at start-up). */
export class DatabaseUnavailableError extends Error {
  constructor(message = 'PostgreSQL is not connected') {
    super(message);
    this.name = 'DatabaseUnavailableError';
  }
}

/**
 * Why a database call failed for a reason that says "try again later", not
 * "this input is wrong" — or undefined when it is not such a failure. One
 * place for the whole platform: the HTTP error filter answers these with 503
 * and the reason, consumers retry them without limit.
 */
export type TransientReason =
  | 'statement_timeout'
  | 'lock_timeout'
  | 'deadlock'
  | 'serialization_failure'
  | 'server_shutdown'
  | 'connection'
  | 'insufficient_resources'
  | 'schema_not_migrated'
  | 'pool_exhausted'
  | 'no_answer'
  | 'not_connected'
  | 'unavailable';

const BY_STATE: Record<string, TransientReason> = {
  '57014': 'statement_timeout', // also a cancel request; ours are statement_timeout
  '55P03': 'lock_timeout',
  '40P01': 'deadlock',
  '40001': 'serialization_failure',
  '57P01': 'server_shutdown',
  '57P02': 'server_shutdown',
  '57P03': 'server_shutdown',
  '25P03': 'connection', // idle_in_transaction_session_timeout ended the session
  // A deploy-order problem (the app runs before its migration), not the data's.
  '42P01': 'schema_not_migrated',
  '42703': 'schema_not_migrated',
};

const BY_CLASS: Record<string, TransientReason> = { '08': 'connection', '53': 'insufficient_resources' };

/** Socket-level failures on the way to PostgreSQL. */
const NETWORK_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EPIPE', 'ENOTFOUND', 'EAI_AGAIN', 'EHOSTUNREACH', 'ENETUNREACH']);

/** pg and pg-pool report these without a code. */
const MESSAGES: Array<[RegExp, TransientReason]> = [
  [/timeout exceeded when trying to connect/i, 'pool_exhausted'],
  [/Query read timeout/i, 'no_answer'],
  [/Connection terminated|connection (?:is )?closed|Client has encountered a connection error/i, 'connection'],
];

export function transientDatabaseReason(error: unknown): TransientReason | undefined {
  if (error instanceof DatabaseUnavailableError) return 'not_connected';
  // TypeORM, before its data source connected.
  if ((error as { name?: unknown } | null)?.name === 'CannotExecuteNotConnectedError') return 'not_connected';
  const state = sqlStateOf(error);
  if (state) return BY_STATE[state] ?? BY_CLASS[state.slice(0, 2)] ?? (sqlErrorKind(state) === 'unavailable' ? 'unavailable' : undefined);
  const code = (error as { code?: unknown } | null)?.code;
  if (typeof code === 'string' && NETWORK_CODES.has(code)) return 'connection';
  const message = error instanceof Error ? error.message : '';
  return MESSAGES.find(([pattern]) => pattern.test(message))?.[1];
}

export function isTransientDatabaseError(error: unknown): boolean {
  return transientDatabaseReason(error) !== undefined;
}

/** The data itself was refused (SQLSTATE 22 data exception, 23 integrity violation): retrying cannot help. */
export function isDataError(error: unknown): boolean {
  const state = sqlStateOf(error);
  if (!state) return false;
  const kind = sqlErrorKind(state);
  return kind === 'invalid-data' || kind === 'conflict';
}
