import type { ConsumedMessage } from './consumer';
import { encodeEnvelope } from './envelope';
import { PoisonMessageError } from './failures';
import { decodeByTopic } from './topic-decoder';

const at = '2026-01-01T10:00:00Z';
const message = (topic: string, value?: Buffer | null): ConsumedMessage => ({
  topic: 'test.kafka-topic',
  partition: 2,
  offset: '7',
  key: 'k',
  value: value === undefined ? encodeEnvelope({ webhookId: 'w', eventId: 'e', topic, shop: 's.myshopify.com', apiVersion: '2026-10', triggeredAt: at, receivedAt: at, payload: { id: 1 } }) : value,
  headers: {},
  timestamp: 0,
});

describe('decodeByTopic', () => {
  const decode = decodeByTopic('a test event', {
    'products/update': (envelope, { topic, partition }) => ({ shopifyTopic: envelope.topic, topic, partition, id: envelope.payload['id'] }),
  });

  it("hands the envelope and the message to the decoder of the envelope's topic", () => {
    expect(decode(message('products/update'))).toEqual({ shopifyTopic: 'products/update', topic: 'test.kafka-topic', partition: 2, id: 1 });
  });

  it('makes a topic without a decoder poison, naming what was expected', () => {
    expect(() => decode(message('orders/create'))).toThrow(new PoisonMessageError('not a test event: topic "orders/create"'));
    // A name every object has is not a decoder either.
    expect(() => decode(message('constructor/x'))).toThrow(PoisonMessageError);
  });

  it('makes a malformed envelope poison', () => {
    expect(() => decode(message('products/update', null))).toThrow(PoisonMessageError);
    expect(() => decode(message('products/update', Buffer.from('{')))).toThrow(new PoisonMessageError('invalid event envelope: not JSON'));
  });
});
