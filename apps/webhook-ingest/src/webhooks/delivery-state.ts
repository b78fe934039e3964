/**
 * Which durable path new webhooks take, shared by the ingest service, the
 * outbox relay and readiness. `outbox` while Kafka fails or while the outbox
 * still holds envelopes (so new events cannot overtake older ones for the same key).
 */
export class DeliveryState {
  outboxDepth = 0;
  kafkaFailing = false;

  get path(): 'kafka' | 'outbox' {
    return this.kafkaFailing || this.outboxDepth > 0 ? 'outbox' : 'kafka';
  }
}
