import { describe, expect, it } from 'vitest';
import { errorType, isConnectionError, isTimeout } from '../src/errors.js';

const pgError = (code: string) => Object.assign(new Error('db error'), { code });

describe('error classification', () => {
  it('uses the SQLSTATE class, a Node.js error code, or the error name', () => {
    expect(errorType(pgError('42P01'))).toBe('42');
    expect(errorType(pgError('23505'))).toBe('23');
    expect(errorType(Object.assign(new Error('x'), { code: 'ECONNREFUSED' }))).toBe('ECONNREFUSED');
    expect(errorType(new TypeError('x'))).toBe('TypeError');
    expect(errorType('a string')).toBe('_OTHER');
    expect(errorType(undefined)).toBe('_OTHER');
  });

  it('tells connection errors from query errors', () => {
    expect(isConnectionError(pgError('57P01'))).toBe(true);
    expect(isConnectionError(pgError('08006'))).toBe(true);
    expect(isConnectionError(new Error('Connection terminated unexpectedly'))).toBe(true);
    expect(isConnectionError(Object.assign(new Error('x'), { code: 'ECONNRESET' }))).toBe(true);
    expect(isConnectionError(pgError('42601'))).toBe(false);
    expect(isConnectionError(pgError('57014'))).toBe(false); // query canceled
    expect(isConnectionError(new Error('Cannot use a pool after calling end on the pool'))).toBe(false);
  });

  it("recognises pg-pool's timeout errors", () => {
    expect(isTimeout(new Error('timeout exceeded when trying to connect'))).toBe(true);
    expect(isTimeout(new Error('Connection terminated due to connection timeout'))).toBe(true);
    expect(isTimeout(new Error('timeout'))).toBe(false);
  });
});
