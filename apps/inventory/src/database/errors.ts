import { type ArgumentsHost, Catch, type ExceptionFilter, Inject, Injectable } from '@nestjs/common';
import { LOGGER } from '@understudy/observability';
import { ApiError, ErrorFilter } from '@understudy/platform';
import type { Logger } from 'pino';
import { DatabaseUnavailableError } from './database';

const NETWORK_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EPIPE', 'ENOTFOUND', 'EAI_AGAIN', 'EHOSTUNREACH']);

/**
 * SQLSTATE classes that say "try again later", not "this input is wrong":
 * 08 connection, 40 rollback (serialization failure, deadlock), 53 resources,
 * 57 operator intervention (shutdown, cancel), 58 system; 55P03 lock timeout;
 * 42P01/42703 a schema not migrated yet (a deploy-order problem, not the data's).
 */
const TRANSIENT_CLASSES = new Set(['08', '40', '53', '57', '58']);
const TRANSIENT_STATES = new Set(['55P03', '42P01', '42703']);

function sqlState(error: unknown): string | undefined {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'string' && /^[0-9A-Z]{5}$/.test(code) ? code : undefined;
}

/** The database or the network to it failed; the same work may well succeed later. */
export function isTransientDatabaseError(error: unknown): boolean {
  if (error instanceof DatabaseUnavailableError) return true;
  const code = (error as { code?: unknown } | null)?.code;
  if (typeof code === 'string' && NETWORK_CODES.has(code)) return true;
  const state = sqlState(error);
  if (state) return TRANSIENT_CLASSES.has(state.slice(0, 2)) || TRANSIENT_STATES.has(state);
  const message = error instanceof Error ? error.message : '';
  return /timeout exceeded when trying to connect|Query read timeout|Connection terminated|connection (?:is )?closed|Client has encountered a connection error/i.test(message);
}

/** The data itself was rejected (SQLSTATE 22 data exception, 23 integrity violation): retrying cannot help. */
export function isDataError(error: unknown): boolean {
  const state = sqlState(error);
  return state !== undefined && (state.startsWith('22') || state.startsWith('23'));
}

/**
 * An unreachable or overloaded database is a 503 the client may retry, never
 * a 500. A filter, not an interceptor, so the happy path pays nothing; every
 * other error takes the platform's usual route.
 */
@Catch()
@Injectable()
export class DatabaseErrorsFilter implements ExceptionFilter {
  private readonly platform: ErrorFilter;

  constructor(@Inject(LOGGER) logger: Logger) {
    this.platform = new ErrorFilter(logger);
  }

  catch(exception: unknown, host: ArgumentsHost): void {
    this.platform.catch(
      isTransientDatabaseError(exception) ? new ApiError(503, 'DATABASE_UNAVAILABLE', 'inventory storage is unavailable; retry shortly') : exception,
      host,
    );
  }
}
