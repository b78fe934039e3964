import { HttpException } from '@nestjs/common';
import { errorBody, type ErrorBodyContract, type ValidationIssue, validationFailedBody, zodIssues } from '@understudy/contracts';

export { errorBody, type ValidationIssue, zodIssues };

/**
 * The one error shape every Understudy API answers with:
 * `{"error": {"code", "message", "details"}}`. `code` is machine-readable and
 * stable; `message` is for humans; `details` is optional structured context.
 * Defined in libs/contracts (framework-free), re-exported here for Nest code.
 */
export type ErrorBody = ErrorBodyContract;

/** Throw from a controller or service to answer with a specific status and code. */
export class ApiError extends HttpException {
  constructor(status: number, readonly code: string, message: string, readonly details?: unknown) {
    super(errorBody(code, message, details), status);
  }
}

/** The one 400 VALIDATION_FAILED every API answers for invalid input, listing each problem. */
export function validationFailed(issues: ValidationIssue[]): ApiError {
  const { error } = validationFailedBody(issues);
  return new ApiError(400, error.code, error.message, error.details);
}

const CODES_BY_STATUS: Record<number, string> = {
  400: 'BAD_REQUEST',
  401: 'UNAUTHORIZED',
  403: 'FORBIDDEN',
  404: 'NOT_FOUND',
  405: 'METHOD_NOT_ALLOWED',
  406: 'NOT_ACCEPTABLE',
  408: 'REQUEST_TIMEOUT',
  409: 'CONFLICT',
  413: 'PAYLOAD_TOO_LARGE',
  415: 'UNSUPPORTED_MEDIA_TYPE',
  422: 'UNPROCESSABLE_ENTITY',
  429: 'TOO_MANY_REQUESTS',
  500: 'INTERNAL',
  502: 'BAD_GATEWAY',
  503: 'SERVICE_UNAVAILABLE',
  504: 'GATEWAY_TIMEOUT',
};

export function codeForStatus(status: number): string {
  return CODES_BY_STATUS[status] ?? (status >= 500 ? 'INTERNAL' : 'BAD_REQUEST');
}
