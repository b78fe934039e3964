import { z } from 'zod';

/**
 * The event envelope every Shopify-sourced fact travels in. The payload is
 * Shopify's webhook body, untouched; the rest is what consumers need to order
 * (`triggeredAt`), deduplicate (`webhookId`, `eventId`) and trace it.
 */
export const eventEnvelopeSchema = z.object({
  /** X-Shopify-Webhook-Id: unique per delivery attempt series. */
  webhookId: z.string().min(1),
  /** X-Shopify-Event-Id: shared by every delivery of one event. */
  eventId: z.string().min(1),
  /** Shopify's topic, e.g. `inventory_levels/update`. */
  topic: z.string().regex(/^[a-z_]+\/[a-z_]+$/),
  shop: z.string().min(1),
  apiVersion: z.string().min(1),
  /** X-Shopify-Triggered-At, ISO-8601: the source's clock. */
  triggeredAt: z.iso.datetime({ offset: true }),
  /** When webhook-ingest accepted it, ISO-8601. */
  receivedAt: z.iso.datetime({ offset: true }),
  payload: z.record(z.string(), z.unknown()),
});

export type EventEnvelope = z.infer<typeof eventEnvelopeSchema>;

export class InvalidEnvelopeError extends Error {
  constructor(readonly reason: string) {
    super(`invalid event envelope: ${reason}`);
    this.name = 'InvalidEnvelopeError';
  }
}

export function encodeEnvelope(envelope: EventEnvelope): Buffer {
  return Buffer.from(JSON.stringify(eventEnvelopeSchema.parse(envelope)));
}

/** Parses and validates; throws InvalidEnvelopeError (a poison message) on anything else. */
export function decodeEnvelope(value: Buffer | null): EventEnvelope {
  if (!value) throw new InvalidEnvelopeError('empty message');
  let json: unknown;
  try {
    json = JSON.parse(value.toString('utf8'));
  } catch {
    throw new InvalidEnvelopeError('not JSON');
  }
  const result = eventEnvelopeSchema.safeParse(json);
  if (!result.success) {
    throw new InvalidEnvelopeError(result.error.issues.map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`).join('; '));
  }
  return result.data;
}
