import { PoisonMessageError } from '@understudy/messaging';
import { poisonOnDataError } from './projection-consumer';

const failing = (error: Error) => poisonOnDataError(async () => Promise.reject(error));
const sqlError = (code: string, message: string) => Object.assign(new Error(message), { code });

describe('poisonOnDataError', () => {
  it('makes a value the database refuses (SQLSTATE 22, 23) poison, with its reason', async () => {
    await expect(failing(sqlError('22003', 'value "9223372036854775808" is out of range for type bigint'))([])).rejects.toThrow(
      new PoisonMessageError('rejected by the database: value "9223372036854775808" is out of range for type bigint'),
    );
    await expect(failing(sqlError('23502', 'null value in column "price"'))([])).rejects.toBeInstanceOf(PoisonMessageError);
  });

  it('leaves an outage or an unknown failure as it was, for the consumer to retry', async () => {
    const outage = sqlError('57P01', 'terminating connection due to administrator command');
    await expect(failing(outage)([])).rejects.toBe(outage);
    const bug = new TypeError('x is undefined');
    await expect(failing(bug)([])).rejects.toBe(bug);
  });

  it('passes the messages through and resolves when the handler does', async () => {
    const seen: unknown[] = [];
    await poisonOnDataError(async (messages) => void seen.push(...messages))([{ topic: 't', partition: 0, offset: '1', key: null, value: null, headers: {}, timestamp: 0 }]);
    expect(seen).toHaveLength(1);
  });
});
