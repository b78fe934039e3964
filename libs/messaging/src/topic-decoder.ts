import type { ConsumedMessage } from './consumer';
import { decodeEnvelope, type EventEnvelope } from './envelope';
import { PoisonMessageError } from './failures';

/** Turns one envelope topic's message into a consumer's event; throws PoisonMessageError on a bad payload. */
export type TopicDecoder<E> = (envelope: EventEnvelope, message: ConsumedMessage) => E;

/**
 * A consumer's message decoder: the envelope validated, then handed to the decoder of its
 * `topic` (the registry's name, libs/shopify's TOPICS). A malformed envelope, or a topic the
 * consumer has no decoder for, is a PoisonMessageError (dead-lettered at once) whose reason
 * names `what` the consumer expected, e.g. `not a pricing event: topic "orders/create"`.
 */
export function decodeByTopic<E>(what: string, decoders: Readonly<Partial<Record<string, TopicDecoder<E>>>>): (message: ConsumedMessage) => E {
  return (message) => {
    let envelope: EventEnvelope;
    try {
      envelope = decodeEnvelope(message.value);
    } catch (error) {
      throw new PoisonMessageError(error instanceof Error ? error.message : String(error));
    }
    const decode = Object.hasOwn(decoders, envelope.topic) ? decoders[envelope.topic] : undefined;
    if (!decode) throw new PoisonMessageError(`not ${what}: topic ${JSON.stringify(envelope.topic)}`);
    return decode(envelope, message);
  };
}
