import { DatabaseUnavailableError, isDataError, isTransientDatabaseError, transientDatabaseReason } from './transient';

const pgError = (code: string) => Object.assign(new Error(`pg ${code}`), { code });

describe('transient database failures', () => {
  it.each([
    ['not connected yet', new DatabaseUnavailableError(), 'not_connected'],
    ['TypeORM before connecting', Object.assign(new Error('x'), { name: 'CannotExecuteNotConnectedError' }), 'not_connected'],
    ['pool exhausted', new Error('timeout exceeded when trying to connect'), 'pool_exhausted'],
    ['a hung server', new Error('Query read timeout'), 'no_answer'],
    ['connection refused', Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' }), 'connection'],
    ['connection reset', Object.assign(new Error('read ECONNRESET'), { code: 'ECONNRESET' }), 'connection'],
    ['connection lost', new Error('Connection terminated unexpectedly'), 'connection'],
    ['statement timeout', pgError('57014'), 'statement_timeout'],
    ['lock timeout', pgError('55P03'), 'lock_timeout'],
    ['deadlock', pgError('40P01'), 'deadlock'],
    ['serialization failure', pgError('40001'), 'serialization_failure'],
    ['admin shutdown', pgError('57P01'), 'server_shutdown'],
    ['connection failure', pgError('08006'), 'connection'],
    ['too many connections', pgError('53300'), 'insufficient_resources'],
    ['schema not migrated', pgError('42P01'), 'schema_not_migrated'],
    ['system error', pgError('58030'), 'unavailable'],
  ])('%s is transient (%s)', (_case, error, reason) => {
    expect(transientDatabaseReason(error)).toBe(reason);
    expect(isTransientDatabaseError(error)).toBe(true);
    expect(isDataError(error)).toBe(false);
  });

  it.each([
    ['numeric out of range', pgError('22003')],
    ['check violation', pgError('23514')],
    ['unique violation', pgError('23505')],
  ])('%s is the data, never retried', (_case, error) => {
    expect(isDataError(error)).toBe(true);
    expect(isTransientDatabaseError(error)).toBe(false);
  });

  it('leaves bugs alone', () => {
    expect(transientDatabaseReason(pgError('42601'))).toBeUndefined();
    expect(transientDatabaseReason(new TypeError('x is undefined'))).toBeUndefined();
    expect(transientDatabaseReason(undefined)).toBeUndefined();
  });
});
