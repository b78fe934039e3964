import { sqlErrorKind, sqlStateOf } from './sql-state';

describe('SQLSTATE classes', () => {
  it.each([
    ['22003', 'invalid-data'], // numeric value out of range (an id past int8)
    ['22P02', 'invalid-data'], // invalid text representation
    ['22001', 'invalid-data'], // string data right truncation
    ['23505', 'conflict'],
    ['23503', 'conflict'],
    ['40001', 'unavailable'],
    ['40P01', 'unavailable'],
    ['57014', 'unavailable'], // statement timeout
    ['57P01', 'unavailable'],
    ['08006', 'unavailable'],
    ['53300', 'unavailable'],
    ['55P03', 'unavailable'],
    ['42601', 'other'], // a syntax error is a bug
    ['XX000', 'other'],
  ])('%s is %s', (state, kind) => expect(sqlErrorKind(state)).toBe(kind));

  it('reads the code of pg errors only', () => {
    expect(sqlStateOf(Object.assign(new Error('out of range'), { code: '22003' }))).toBe('22003');
    expect(sqlStateOf(Object.assign(new Error('refused'), { code: 'ECONNREFUSED' }))).toBeUndefined();
    expect(sqlStateOf(Object.assign(new Error('pipe'), { code: 'EPIPE' }))).toBeUndefined();
    expect(sqlStateOf(new Error('plain'))).toBeUndefined();
    expect(sqlStateOf(null)).toBeUndefined();
  });
});
