import { deliveryFreshness, type FreshnessPolicy } from './freshness';
import { isWebhookTopic, parseWebhookHeaders, resourceKeyFor, verifyWebhookHmac, type WebhookHeaders, type WebhookTopic } from '@understudy/shopify';

/**
 * Everything that can be decided about a delivery from its bytes and headers
 * alone, in the order that keeps secrets safe: signature first (nothing is
 * read from an unsigned body), then headers, then shop, then payload.
 */
export type Verdict =
  | { kind: 'accept'; headers: WebhookHeaders & { topic: WebhookTopic }; payload: Record<string, unknown>; key: string }
  /** Signed and well-formed, but our schema cannot key it: kept (dead-lettered), never lost. */
  | { kind: 'unkeyable'; headers: WebhookHeaders & { topic: WebhookTopic }; payload: Record<string, unknown>; reason: string }
  /** A topic we do not subscribe to: acknowledged and dropped, so Shopify does not retry or disable the subscription. */
  | { kind: 'ignore'; headers: WebhookHeaders }
  /** Signed, but older than Shopify could still be sending (a replay): acknowledged, never published. */
  | { kind: 'stale'; headers: WebhookHeaders; reason: string }
  | { kind: 'reject'; status: 400 | 401; code: string; message: string; details?: unknown; metricTopic: string; result: 'invalid_hmac' | 'invalid' };

export interface DeliveryPolicy {
  secrets: readonly string[];
  shops: ReadonlySet<string>;
  /** Without it, deliveries of any age are accepted. */
  freshness?: FreshnessPolicy;
}

export function verifyDelivery(
  rawBody: Buffer,
  rawHeaders: Record<string, string | string[] | undefined>,
  policy: DeliveryPolicy,
  now: Date = new Date(),
): Verdict {
  const hmacHeader = headerValue(rawHeaders, 'x-shopify-hmac-sha256');
  const claimedTopic = headerValue(rawHeaders, 'x-shopify-topic') ?? 'unknown';
  const metricTopic = isWebhookTopic(claimedTopic) ? claimedTopic : 'unknown';
  if (verifyWebhookHmac(rawBody, hmacHeader, policy.secrets) < 0) {
    return { kind: 'reject', status: 401, code: 'UNAUTHORIZED', message: 'invalid webhook signature', metricTopic, result: 'invalid_hmac' };
  }

  const parsed = parseWebhookHeaders(rawHeaders);
  if (!parsed.ok) {
    const message = parsed.missing.length
      ? `missing header${parsed.missing.length > 1 ? 's' : ''}: ${parsed.missing.join(', ')}`
      : `invalid header${parsed.invalid.length > 1 ? 's' : ''}: ${parsed.invalid.map((i) => i.header).join(', ')}`;
    return { kind: 'reject', status: 400, code: 'INVALID_HEADERS', message, details: { missing: parsed.missing, invalid: parsed.invalid }, metricTopic, result: 'invalid' };
  }
  const { headers } = parsed;
  if (!policy.shops.has(headers.shopDomain)) {
    return { kind: 'reject', status: 401, code: 'UNKNOWN_SHOP', message: 'unknown shop', metricTopic, result: 'invalid' };
  }

  let payload: unknown;
  try {
    payload = JSON.parse(rawBody.toString('utf8'));
  } catch {
    return { kind: 'reject', status: 400, code: 'INVALID_JSON', message: 'body is not JSON', metricTopic, result: 'invalid' };
  }
  if (typeof payload !== 'object' || payload === null || Array.isArray(payload)) {
    return { kind: 'reject', status: 400, code: 'INVALID_JSON', message: 'body is not a JSON object', metricTopic, result: 'invalid' };
  }
  const body = payload as Record<string, unknown>;
  if (policy.freshness) {
    const signedUpdatedAt = typeof body['updated_at'] === 'string' ? body['updated_at'] : undefined;
    const freshness = deliveryFreshness({ triggeredAt: headers.triggeredAt, signedUpdatedAt }, now, policy.freshness);
    if (!freshness.fresh) return { kind: 'stale', headers, reason: freshness.reason };
  }
  if (!isWebhookTopic(headers.topic)) return { kind: 'ignore', headers };

  const key = resourceKeyFor(headers.topic, body);
  if (!key.ok) return { kind: 'unkeyable', headers: { ...headers, topic: headers.topic }, payload: body, reason: key.reason };
  return { kind: 'accept', headers: { ...headers, topic: headers.topic }, payload: body, key: key.key };
}

function headerValue(headers: Record<string, string | string[] | undefined>, name: string): string | undefined {
  for (const [key, value] of Object.entries(headers)) {
    if (key.toLowerCase() === name) return Array.isArray(value) ? value[0] : value;
  }
  return undefined;
}
