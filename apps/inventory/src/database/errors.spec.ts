import { DatabaseUnavailableError } from './database';
import { isDataError, isTransientDatabaseError } from './errors';

const pgError = (code: string) => Object.assign(new Error(`pg ${code}`), { code });

describe('database error classification', () => {
  it.each([
    ['not connected yet', new DatabaseUnavailableError()],
    ['pool exhausted', new Error('timeout exceeded when trying to connect')],
    ['connection refused', Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' })],
    ['deadlock', pgError('40P01')],
    ['serialization failure', pgError('40001')],
    ['admin shutdown', pgError('57P01')],
    ['schema not migrated', pgError('42P01')],
  ])('treats %s as transient', (_case, error) => {
    expect(isTransientDatabaseError(error)).toBe(true);
    expect(isDataError(error)).toBe(false);
  });

  it.each([
    ['numeric out of range', pgError('22003')],
    ['check violation', pgError('23514')],
  ])('treats %s as a data error, never retried', (_case, error) => {
    expect(isDataError(error)).toBe(true);
    expect(isTransientDatabaseError(error)).toBe(false);
  });

  it('treats a programming error as neither', () => {
    expect(isTransientDatabaseError(pgError('42601'))).toBe(false);
    expect(isTransientDatabaseError(new TypeError('x is undefined'))).toBe(false);
  });
});
