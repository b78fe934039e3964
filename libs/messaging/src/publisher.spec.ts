import { KafkaJSNonRetriableError, KafkaJSNumberOfRetriesExceeded, KafkaJSProtocolError } from 'kafkajs';
import { producerStateLost } from './publisher';

describe('producerStateLost', () => {
  const outOfOrder = new KafkaJSProtocolError({ type: 'OUT_OF_ORDER_SEQUENCE_NUMBER', code: 45, retriable: false, message: 'The broker received an out of order sequence number' } as never);

  // As kafkajs' retrier builds it (its typings omit the second argument).
  const bailed = (cause: Error) => new (KafkaJSNonRetriableError as unknown as new (e: Error, options: { cause: Error }) => Error)(cause, { cause });

  it('recognises a crashed broker’s answer, also inside the errors kafkajs wraps it in', () => {
    expect(producerStateLost(outOfOrder)).toBe(true);
    expect(producerStateLost(bailed(outOfOrder))).toBe(true);
    expect(producerStateLost(new KafkaJSNumberOfRetriesExceeded(outOfOrder, { retryCount: 5, retryTime: 100 }))).toBe(true);
    expect(producerStateLost(new KafkaJSProtocolError({ type: 'UNKNOWN_PRODUCER_ID', code: 59, retriable: false, message: 'x' } as never))).toBe(true);
  });

  it('leaves other failures to the retries', () => {
    expect(producerStateLost(new KafkaJSProtocolError({ type: 'NOT_LEADER_FOR_PARTITION', code: 6, retriable: true, message: 'x' } as never))).toBe(false);
    expect(producerStateLost(new Error('connection refused'))).toBe(false);
    expect(producerStateLost(undefined)).toBe(false);
  });
});
