import { z } from 'zod';

/** A variant id as a client may send it (numeric or GID), parsed to the numeric id as a decimal string. */
export { variantIdSchema } from '@understudy/contracts';

/** For a path parameter or header: 400 VALIDATION_FAILED naming it when it is not valid (libs/platform). */
export { parseParam } from '@understudy/platform';

export const reservationIdSchema = z.uuid({ message: 'must be a reservation id (a UUID)' });

/** Orders decimal id strings numerically (parsed ids have no leading zeros). */
export function compareIds(a: string, b: string): number {
  return a.length - b.length || (a < b ? -1 : a > b ? 1 : 0);
}
