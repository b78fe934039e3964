/**
 * What the comparison receives for each side: an HTTP response (status plus a
 * body that is already parsed JSON, or raw text/bytes with a content type) or
 * a marker that the call failed.
 */
export interface HttpResponse {
  readonly status: number;
  /** Parsed JSON (object, array, number…), or a string / Buffer / Uint8Array read as `contentType` says. */
  readonly body?: unknown;
  readonly contentType?: string | undefined;
}

export interface FailedCall {
  readonly failure: 'error' | 'timeout';
  /** Free text for humans (e.g. `ECONNREFUSED`); never parsed. */
  readonly detail?: string | undefined;
}

export type ResponseSide = HttpResponse | FailedCall;

export function isFailedCall(side: ResponseSide): side is FailedCall {
  return (side as FailedCall).failure === 'error' || (side as FailedCall).failure === 'timeout';
}

export type DecodedBody =
  | { readonly ok: true; readonly value: unknown; readonly format: 'json' | 'text' | 'none' }
  | { readonly ok: false; readonly reason: 'too_large' };

const JSON_TYPE = /^\s*(?:application|text)\/(?:[\w.+-]*\+)?json\s*(?:;|$)/i;
// Integers this long may be past 2^53; only then is the slower exact parse worth it.
const LONG_DIGITS = /\d{16,}/;
const INTEGER_LITERAL = /^-?\d+$/;

/**
 * Bytes and strings are parsed as JSON when the content type says JSON, or
 * when there is no content type and the text starts like an object or array;
 * anything else is compared as text. Invalid JSON under a JSON content type
 * also falls back to text, so the two sides still get compared.
 */
export function decodeBody(response: HttpResponse, maxBytes: number): DecodedBody {
  const body = response.body;
  let text: string;
  if (typeof body === 'string') {
    if (body.length > maxBytes || (body.length * 3 > maxBytes && Buffer.byteLength(body, 'utf8') > maxBytes)) {
      return { ok: false, reason: 'too_large' };
    }
    text = body;
  } else if (body instanceof Uint8Array) {
    if (body.byteLength > maxBytes) return { ok: false, reason: 'too_large' };
    text = Buffer.from(body.buffer, body.byteOffset, body.byteLength).toString('utf8');
  } else if (body === undefined) {
    return { ok: true, value: undefined, format: 'none' };
  } else {
    return { ok: true, value: body, format: 'json' };
  }

  const contentType = response.contentType;
  const declaredJson = contentType !== undefined && JSON_TYPE.test(contentType);
  const looksJson = contentType === undefined && /^\s*[[{]/.test(text);
  if (declaredJson || looksJson) {
    const parsed = parseJson(text);
    if (parsed.ok) return { ok: true, value: parsed.value, format: 'json' };
  }
  return { ok: true, value: text, format: 'text' };
}

/**
 * `JSON.parse`, except that integers beyond 2^53 stay exact as bigint (two
 * order ids that differ in the last digit must not compare equal). Uses the
 * reviver's source text (Node ≥ 21); that reviver recurses, so a pathologically
 * deep body falls back to the plain, iterative parse.
 */
export function parseJson(text: string): { ok: true; value: unknown } | { ok: false } {
  try {
    if (LONG_DIGITS.test(text)) {
      try {
        return { ok: true, value: JSON.parse(text, keepBigIntegers) as unknown };
      } catch (error) {
        if (!(error instanceof RangeError)) return { ok: false };
      }
    }
    return { ok: true, value: JSON.parse(text) as unknown };
  } catch {
    return { ok: false };
  }
}

function keepBigIntegers(_key: string, value: unknown, context?: { source?: string }): unknown {
  if (typeof value === 'number' && !Number.isSafeInteger(value)) {
    const source = context?.source;
    if (source !== undefined && INTEGER_LITERAL.test(source)) return BigInt(source);
  }
  return value;
}
