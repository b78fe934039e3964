import { randomUUID } from 'node:crypto';
import { webhookHmac } from '@understudy/shopify';
import { failureOutcome, type Outcome, Recorder } from './recorder';

/** One inventory_levels/update webhook as Shopify signs it; a retry repeats it byte for byte. */
export interface Webhook {
  webhookId: string;
  eventId: string;
  itemId: number;
  locationId: number;
  available: number;
  body: string;
  headers: Record<string, string>;
}

export interface WebhookIdentity {
  shop: string;
  secret: string;
}

export function signedWebhook({ shop, secret }: WebhookIdentity, itemId: number, available: number, locationId = 1): Webhook {
  const now = new Date().toISOString();
  const body = JSON.stringify({ inventory_item_id: itemId, location_id: locationId, available, updated_at: now, admin_graphql_api_id: `gid://shopify/InventoryLevel/${locationId}?inventory_item_id=${itemId}` });
  const webhookId = randomUUID();
  const eventId = randomUUID();
  return {
    webhookId,
    eventId,
    itemId,
    locationId,
    available,
    body,
    headers: {
      'content-type': 'application/json',
      'x-shopify-topic': 'inventory_levels/update',
      'x-shopify-hmac-sha256': webhookHmac(body, secret),
      'x-shopify-shop-domain': shop,
      'x-shopify-api-version': '2026-10',
      'x-shopify-webhook-id': webhookId,
      'x-shopify-event-id': eventId,
      'x-shopify-triggered-at': now,
    },
  };
}

/** Requests no Shopify would send (forged, malformed, incomplete): each must get a 4xx, whatever is broken. */
export function badWebhooks(identity: WebhookIdentity, itemId: number): Array<{ name: string; body: string; headers: Record<string, string> }> {
  const good = signedWebhook(identity, itemId, 1);
  const { 'x-shopify-event-id': _event, ...withoutEventId } = good.headers;
  const notJson = '{"inventory_item_id": ';
  return [
    { name: 'forged signature', body: good.body, headers: { ...good.headers, 'x-shopify-hmac-sha256': webhookHmac(good.body, 'not-the-secret') } },
    { name: 'tampered body', body: good.body.replace('"available":1', '"available":999'), headers: good.headers },
    { name: 'no event id', body: good.body, headers: withoutEventId },
    { name: 'signed, not JSON', body: notJson, headers: { ...good.headers, 'x-shopify-hmac-sha256': webhookHmac(notJson, identity.secret) } },
    { name: 'unknown shop', body: good.body, headers: { ...good.headers, 'x-shopify-shop-domain': 'someone-else.myshopify.com' } },
    { name: 'bad triggered-at', body: good.body, headers: { ...good.headers, 'x-shopify-triggered-at': 'yesterday' } },
  ];
}

export async function post(url: string, body: string, headers: Record<string, string>, timeoutMs: number): Promise<{ outcome: Outcome; ms: number; text?: string }> {
  const started = performance.now();
  try {
    const response = await fetch(url, { method: 'POST', body, headers, signal: AbortSignal.timeout(timeoutMs) });
    const text = await response.text();
    return { outcome: response.status, ms: performance.now() - started, text };
  } catch (error) {
    return { outcome: failureOutcome(error), ms: performance.now() - started };
  }
}

/**
 * Delivers webhooks the way Shopify does: a worker pool, a 5 s timeout per
 * attempt, and a retry of the same delivery (same ids, same bytes) after
 * anything but a 200, until it is acknowledged or the deadline passes. New
 * webhooks come from `source` until it returns undefined or `stop()` is
 * called. Every attempt is recorded under the recorder's current phase.
 */
export class WebhookSender {
  readonly acknowledged = new Set<string>();
  readonly recorder = new Recorder();
  /** Every webhook handed to a worker, in order. */
  readonly sent: Webhook[] = [];
  private stopped = false;

  constructor(
    private readonly url: () => string,
    private readonly source: () => Webhook | undefined,
    private readonly options: { concurrency?: number; timeoutMs?: number; deadlineMs?: number; pauseMs?: number } = {},
  ) {}

  static of(url: () => string, webhooks: readonly Webhook[], options: WebhookSender['options'] = {}): WebhookSender {
    let next = 0;
    return new WebhookSender(url, () => webhooks[next++], options);
  }

  /** No new webhooks after this; those already sent are still retried until acknowledged. */
  stop(): void {
    this.stopped = true;
  }

  /** Resolves when every webhook sent has been acknowledged (or the deadline passed for the rest). */
  async run(): Promise<void> {
    const deadline = Date.now() + (this.options.deadlineMs ?? 240_000);
    const worker = async () => {
      for (;;) {
        const webhook = this.stopped ? undefined : this.source();
        if (!webhook) return;
        this.sent.push(webhook);
        for (let attempt = 0; Date.now() < deadline; attempt++) {
          const { outcome, ms } = await post(`${this.url()}/webhooks/shopify`, webhook.body, webhook.headers, this.options.timeoutMs ?? 5_000);
          this.recorder.record(outcome, ms);
          if (outcome === 200) {
            this.acknowledged.add(webhook.webhookId);
            break;
          }
          await sleep(Math.min(1_000, 100 * 2 ** attempt));
        }
        if (this.options.pauseMs) await sleep(this.options.pauseMs);
      }
    };
    await Promise.all(Array.from({ length: this.options.concurrency ?? 8 }, worker));
  }
}

export const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
