import { createHmac, timingSafeEqual } from 'node:crypto';

/** Base64 HMAC-SHA256 of the raw body bytes, keyed by the app secret: Shopify's `X-Shopify-Hmac-Sha256`. */
export function webhookHmac(rawBody: Buffer | string, secret: string): string {
  return createHmac('sha256', secret).update(rawBody).digest('base64');
}

/**
 * Verifies `X-Shopify-Hmac-Sha256` against every configured secret (newest
 * first, for rotation) in constant time per secret. Always computes all
 * candidates so the time taken does not reveal which secret matched.
 * Returns the index of the matching secret, or -1.
 */
export function verifyWebhookHmac(rawBody: Buffer, header: string | undefined, secrets: readonly string[]): number {
  if (!header || secrets.length === 0) return -1;
  const received = Buffer.from(header, 'base64');
  // A SHA-256 digest is 32 bytes; anything else cannot match (and timingSafeEqual needs equal lengths).
  if (received.length !== 32) return -1;
  let matched = -1;
  secrets.forEach((secret, index) => {
    const expected = createHmac('sha256', secret).update(rawBody).digest();
    if (timingSafeEqual(expected, received) && matched === -1) matched = index;
  });
  return matched;
}
