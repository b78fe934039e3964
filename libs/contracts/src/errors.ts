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
