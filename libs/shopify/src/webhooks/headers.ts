import { shopDomainSchema, shopifyApiVersionSchema } from '@understudy/contracts';
import { z } from 'zod';

/** The headers Shopify sends with every webhook delivery. */
export const WEBHOOK_HEADERS = {
  topic: 'x-shopify-topic',
  hmac: 'x-shopify-hmac-sha256',
  shopDomain: 'x-shopify-shop-domain',
  apiVersion: 'x-shopify-api-version',
  webhookId: 'x-shopify-webhook-id',
  eventId: 'x-shopify-event-id',
  triggeredAt: 'x-shopify-triggered-at',
} as const;

const webhookHeadersSchema = z.object({
  topic: z.string().regex(/^[a-z_]+\/[a-z_]+$/, 'must look like resource/event'),
  hmac: z.string().min(1),
  shopDomain: shopDomainSchema,
  apiVersion: shopifyApiVersionSchema,
  webhookId: z.string().min(1).max(255),
  eventId: z.string().min(1).max(255),
  triggeredAt: z.iso.datetime({ offset: true }),
});

export type WebhookHeaders = z.infer<typeof webhookHeadersSchema>;

export type WebhookHeadersResult =
  | { ok: true; headers: WebhookHeaders }
  | { ok: false; missing: string[]; invalid: Array<{ header: string; problem: string }> };

/** Case-insensitive; a repeated header counts by its first value. Names every missing or invalid header. */
export function parseWebhookHeaders(raw: Record<string, string | string[] | undefined>): WebhookHeadersResult {
  const lower = new Map<string, string>();
  for (const [name, value] of Object.entries(raw)) {
    const first = Array.isArray(value) ? value[0] : value;
    if (first !== undefined && first !== '') lower.set(name.toLowerCase(), first.trim());
  }
  const candidate: Record<string, string | undefined> = {};
  const missing: string[] = [];
  for (const [field, header] of Object.entries(WEBHOOK_HEADERS)) {
    const value = lower.get(header);
    if (value === undefined) missing.push(header);
    candidate[field] = value;
  }
  const parsed = webhookHeadersSchema.safeParse(candidate);
  if (parsed.success && missing.length === 0) return { ok: true, headers: parsed.data };
  const invalid = parsed.success
    ? []
    : parsed.error.issues
        .filter((issue) => candidate[String(issue.path[0])] !== undefined)
        .map((issue) => ({ header: WEBHOOK_HEADERS[issue.path[0] as keyof typeof WEBHOOK_HEADERS], problem: issue.message }));
  return { ok: false, missing, invalid };
}
