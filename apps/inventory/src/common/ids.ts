import { validationFailed, zodIssues } from '@understudy/platform';
import { z } from 'zod';

/** A variant id as a client may send it (numeric or GID), parsed to the numeric id as a decimal string. */
export { variantIdSchema } from '@understudy/contracts';

/** For a path parameter or header: 400 VALIDATION_FAILED naming it when it is not valid. */
export function parseParam<T>(schema: z.ZodType<T>, name: string, value: string): T {
  const parsed = schema.safeParse(value);
  if (parsed.success) return parsed.data;
  throw validationFailed(zodIssues(parsed.error, name));
}

export const reservationIdSchema = z.uuid({ message: 'must be a reservation id (a UUID)' });

/** Orders decimal id strings numerically (parsed ids have no leading zeros). */
export function compareIds(a: string, b: string): number {
  return a.length - b.length || (a < b ? -1 : a > b ? 1 : 0);
}
