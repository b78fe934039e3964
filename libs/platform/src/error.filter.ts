import { type ArgumentsHost, Catch, type ExceptionFilter, HttpException } from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Logger } from 'pino';
import { sqlErrorKind, sqlStateOf, transientDatabaseReason } from '@understudy/database';
import { ApiError, codeForStatus, errorBody, type ErrorBody } from './api-error';

/**
 * Maps every error to `{"error": {...}}`. Client mistakes keep their 4xx
 * status and a reason; anything unexpected is a 500 whose body says nothing
 * about the internals (the details go to the log, with the request id).
 */
@Catch()
export class ErrorFilter implements ExceptionFilter {
  constructor(private readonly logger: Logger) {}

  catch(exception: unknown, host: ArgumentsHost): void {
    const http = host.switchToHttp();
    const reply = http.getResponse<FastifyReply>();
    const request = http.getRequest<FastifyRequest>();
    const { status, body } = toErrorResponse(exception);
    if (status >= 500 && status !== 503) {
      this.logger.error({ err: exception, method: request.method, url: request.url, requestId: request.id }, 'unhandled error');
    } else if (sqlStateOf(exception) !== undefined) {
      // The database refused what validation let through: a gap in a contract worth closing.
      this.logger.warn({ err: exception, method: request.method, url: request.url, requestId: request.id, status }, 'database refused the request');
    }
    void reply.status(status).header('content-type', 'application/json; charset=utf-8').send(body);
  }
}

export function toErrorResponse(exception: unknown): { status: number; body: ErrorBody } {
  if (exception instanceof ApiError) {
    return { status: exception.getStatus(), body: exception.getResponse() as ErrorBody };
  }
  if (exception instanceof HttpException) {
    const status = exception.getStatus();
    const response = exception.getResponse();
    if (isTerminusBody(response)) {
      const failing = Object.keys(response.error ?? {});
      return {
        status,
        body: errorBody('NOT_READY', `not ready: ${failing.join(', ') || 'unknown'} down`, response),
      };
    }
    const message = typeof response === 'string' ? response : messageOf(response) ?? exception.message;
    return { status, body: errorBody(codeForStatus(status), message) };
  }
  // Fastify's own errors (body too large, malformed JSON, bad content type) carry a 4xx statusCode.
  if (isFastifyClientError(exception)) {
    return { status: exception.statusCode, body: errorBody(codeForStatus(exception.statusCode), exception.message) };
  }
  const sqlState = sqlStateOf(exception);
  // Checked before the SQLSTATE classes: it also knows the failures that carry no SQLSTATE
  // (connection refused or lost, pool exhausted, a hung server), and names the reason.
  const transient = transientDatabaseReason(exception);
  if (transient !== undefined) {
    return {
      status: 503,
      body: errorBody('DATABASE_UNAVAILABLE', `storage is unavailable (${transient.replace(/_/g, ' ')}); retry shortly`, {
        reason: transient,
        ...(sqlState === undefined ? {} : { sqlState }),
      }),
    };
  }
  if (sqlState !== undefined) {
    const response = databaseErrorResponse(sqlState);
    if (response) return response;
  }
  return { status: 500, body: errorBody('INTERNAL', 'internal error') };
}

/**
 * PostgreSQL errors that come from the request's data are the client's 4xx
 * (an unavailable database is a 503 above, by transientDatabaseReason); the
 * body names the class (SQLSTATE), never the statement or the values.
 */
function databaseErrorResponse(sqlState: string): { status: number; body: ErrorBody } | undefined {
  switch (sqlErrorKind(sqlState)) {
    case 'invalid-data':
      return { status: 400, body: errorBody('INVALID_VALUE', 'a value in the request is out of range or malformed', { sqlState }) };
    case 'conflict':
      return { status: 409, body: errorBody('CONFLICT', 'the request conflicts with stored data', { sqlState }) };
    default:
      return undefined;
  }
}

function messageOf(response: object): string | undefined {
  const message = (response as { message?: unknown }).message;
  if (Array.isArray(message)) return message.join('; ');
  return typeof message === 'string' ? message : undefined;
}

function isTerminusBody(response: unknown): response is { status: string; error?: Record<string, unknown> } {
  return typeof response === 'object' && response !== null && (response as { status?: unknown }).status === 'error';
}

function isFastifyClientError(error: unknown): error is { statusCode: number; message: string } {
  const statusCode = (error as { statusCode?: unknown } | null)?.statusCode;
  return typeof statusCode === 'number' && statusCode >= 400 && statusCode < 500;
}
