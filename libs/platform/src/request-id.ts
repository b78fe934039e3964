import { randomUUID } from 'node:crypto';

/** What a client-sent `x-request-id` may look like to be kept: 1–128 visible ASCII letters, digits and `-_.:`. */
const ACCEPTED_REQUEST_ID = /^[A-Za-z0-9._:-]{1,128}$/;

/**
 * The request id a service logs, forwards and echoes: the client's
 * `x-request-id` when it is a plausible id, else a new UUID. A request id
 * ends up in logs, traces, upstream headers and stored diff samples, so a
 * client cannot make it arbitrarily long or put markup or separators in it.
 */
export function requestIdFrom(header: string | readonly string[] | undefined): string {
  const value = Array.isArray(header) ? header[0] : header;
  return typeof value === 'string' && ACCEPTED_REQUEST_ID.test(value) ? value : randomUUID();
}
