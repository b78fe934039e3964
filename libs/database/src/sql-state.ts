/**
 * What a PostgreSQL error says about its cause, from its SQLSTATE
 * (https://www.postgresql.org/docs/current/errcodes-appendix.html), so every
 * edge answers the same way: the request's data was refused (a 4xx), the
 * database is unavailable for now (a 503 worth retrying), or a bug (a 500).
 */
export type SqlErrorKind = 'invalid-data' | 'conflict' | 'unavailable' | 'other';

/**
 * 08 connection, 40 rollback (serialization failure, deadlock), 53 resources,
 * 57 operator intervention (shutdown, statement or lock timeout), 58 system;
 * 55P03 lock not available.
 */
const UNAVAILABLE_CLASSES = new Set(['08', '40', '53', '57', '58']);
const UNAVAILABLE_STATES = new Set(['55P03']);

/** A SQLSTATE's class is two digits or F0, HV, P0, XX; errno codes such as EPIPE are not. */
const SQL_STATE = /^(?:\d{2}|F0|HV|P0|XX)[0-9A-Z]{3}$/;

/** The SQLSTATE of a pg (or TypeORM QueryFailedError) error, else undefined. */
export function sqlStateOf(error: unknown): string | undefined {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'string' && SQL_STATE.test(code) ? code : undefined;
}

export function sqlErrorKind(state: string): SqlErrorKind {
  const errorClass = state.slice(0, 2);
  // 22: data exception (numeric out of range 22003, invalid text representation 22P02, …).
  if (errorClass === '22') return 'invalid-data';
  // 23: integrity constraint violation (unique 23505, foreign key 23503, check 23514, …).
  if (errorClass === '23') return 'conflict';
  if (UNAVAILABLE_CLASSES.has(errorClass) || UNAVAILABLE_STATES.has(state)) return 'unavailable';
  return 'other';
}
