import type { V4ResponseBuilder } from '@pact-foundation/pact/src/v4/http/types';

/**
 * NDJSON in a Pact (docs/contracts.md). Pact matches JSON bodies field by
 * field, but an NDJSON stream (the export endpoints') is text to it, compared
 * byte for byte unless a matcher covers the whole body (`$`). These helpers
 * write that matcher: a regex for "one or more lines, each a JSON object with
 * these fields, of these types" — the stream's shape, never the provider's
 * exact rows. Pact's regexes have no look-around, so the required fields are
 * in the order the provider's serializer writes them; other fields may come
 * before, between and after them.
 */

/** Value patterns for `ndjsonLine`. */
export const NDJSON = {
  /** A Shopify numeric id as a JSON string. */
  id: '"[1-9][0-9]{0,18}"',
  integerOrNull: '(?:-?[0-9]+|null)',
  boolean: '(?:true|false)',
  stringOrNull: '(?:"(?:[^"\\\\\\n]|\\\\.)*"|null)',
  /** ISO-8601 with an offset, as a JSON string. */
  isoTime: '"[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}(?:\\.[0-9]{1,9})?(?:Z|[+-][0-9]{2}:[0-9]{2})"',
  /** A decimal amount as a JSON string ("19.99"). */
  decimal: '"-?[0-9]{1,15}(?:\\.[0-9]{1,6})?"',
  /** A decimal amount as a JSON string, or null. */
  decimalOrNull: '(?:"-?[0-9]{1,15}(?:\\.[0-9]{1,6})?"|null)',
  /** An array of `element`s (possibly empty). */
  arrayOf: (element: string) => `\\[(?:${element}(?:,${element})*)?\\]`,
} as const;

const escapeKey = (key: string) => key.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** The regex of one NDJSON line: a JSON object holding `fields` ([name, value pattern]) in this order, other fields around them. */
export function ndjsonLine(fields: ReadonlyArray<readonly [name: string, pattern: string]>): string {
  const parts = fields.map(([name, pattern]) => `"${escapeKey(name)}":${pattern}`);
  return `\\{(?:[^\\n]*,)?${parts.join(',(?:[^\\n]*,)?')}(?:,[^\\n]*)?\\}`;
}

/** The whole body's regex: one or more lines, each matching `line`, each ending in a newline. */
export function ndjsonBodyPattern(line: string): string {
  return `^(?:${line}\\n)+$`;
}

/**
 * Sets a response's body to `rows` as NDJSON (`application/x-ndjson`, the
 * example the mock server answers) and matches the provider's body by
 * `ndjsonBodyPattern(line)`. pact-js has no builder call for a body-level
 * matcher on a non-JSON body, so this reaches the interaction pact-core
 * exposes (`withResponseBody` as text, `withResponseMatchingRules`: Pact FFI
 * `pactffi_with_body`, `pactffi_with_matching_rules`);
 * it throws if a pact-js upgrade moved it, rather than writing a pact without the matcher.
 */
export function ndjsonBody(builder: V4ResponseBuilder, rows: ReadonlyArray<Record<string, unknown>>, line: string): V4ResponseBuilder {
  const pattern = ndjsonBodyPattern(line);
  const body = rows.map((row) => `${JSON.stringify(row)}\n`).join('');
  if (!new RegExp(pattern).test(body)) throw new Error(`the example rows do not match their own pattern ${pattern}`);
  const interaction = (builder as unknown as { interaction?: { withResponseBody?: (body: string, contentType: string) => boolean; withResponseMatchingRules?: (rules: string) => boolean } })
    .interaction;
  if (typeof interaction?.withResponseBody !== 'function' || typeof interaction.withResponseMatchingRules !== 'function') {
    throw new Error('pact-js no longer exposes withResponseBody / withResponseMatchingRules: see libs/testing pact-ndjson.ts');
  }
  // As text (readable in the pact file), not bytes.
  interaction.withResponseBody(body, 'application/x-ndjson');
  interaction.withResponseMatchingRules(JSON.stringify({ body: { $: { combine: 'AND', matchers: [{ match: 'regex', regex: pattern }] } } }));
  return builder;
}
