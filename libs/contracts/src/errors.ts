import { z } from 'zod';

/** The error shape of every Understudy API (`ApiError` in libs/platform), for OpenAPI documents and clients. */
export const errorBodySchema = z.object({
  error: z.object({
    code: z.string().meta({ description: 'Machine-readable, stable.' }),
    message: z.string(),
    details: z.unknown().optional(),
  }),
});
export type ErrorBodyContract = z.infer<typeof errorBodySchema>;

/** Builds the error body; framework-free, so code outside Nest (the gateway's router) answers in the same shape. */
export function errorBody(code: string, message: string, details?: unknown): ErrorBodyContract {
  return { error: { code, message, ...(details === undefined ? {} : { details }) } };
}

/** One problem with a request: where (a dotted path, a parameter or a header name) and what. */
export interface ValidationIssue {
  path: string;
  message: string;
}

/** The one 400 body for invalid input, `VALIDATION_FAILED` listing each problem (ApiError form: `validationFailed` in libs/platform). */
export function validationFailedBody(issues: ValidationIssue[]): ErrorBodyContract {
  return errorBody('VALIDATION_FAILED', 'request is invalid', { issues });
}

/** A zod error's issues by path, or all under `path` (e.g. a parameter's name). */
export function zodIssues(error: { issues: ReadonlyArray<{ path: ReadonlyArray<PropertyKey>; message: string }> }, path?: string): ValidationIssue[] {
  return error.issues.map((issue) => ({ path: path ?? issue.path.map(String).join('.'), message: issue.message }));
}
