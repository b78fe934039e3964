import { backoffDelay, classifyResponse, parseRetryAfter } from './retry';

describe('retry classification', () => {
  it('retries THROTTLED (as throttled), 429, 5xx and network errors; gives up on the rest', () => {
    expect(classifyResponse({ status: 200 })).toEqual({ kind: 'ok' });
    expect(classifyResponse({ status: 200, graphQLErrors: [{ message: 'Throttled', extensions: { code: 'THROTTLED' } }] })).toEqual({ kind: 'throttled' });
    expect(classifyResponse({ status: 429, retryAfter: '2.0' })).toEqual({ kind: 'retryable', reason: 'HTTP 429', retryAfterMs: 2_000 });
    expect(classifyResponse({ status: 503 })).toMatchObject({ kind: 'retryable', reason: 'HTTP 503' });
    expect(classifyResponse({ networkError: 'ECONNRESET' })).toEqual({ kind: 'retryable', reason: 'ECONNRESET' });
    expect(classifyResponse({ status: 200, graphQLErrors: [{ extensions: { code: 'INTERNAL_SERVER_ERROR' } }] })).toMatchObject({ kind: 'retryable' });
    expect(classifyResponse({ status: 401 })).toEqual({ kind: 'fatal', reason: 'HTTP 401' });
    expect(classifyResponse({ status: 301 })).toMatchObject({ kind: 'fatal' });
    expect(classifyResponse({ status: 200, graphQLErrors: [{ message: 'x', extensions: { code: 'MAX_COST_EXCEEDED' } }] })).toEqual({
      kind: 'fatal',
      reason: 'GraphQL errors: MAX_COST_EXCEEDED',
    });
  });

  it('reads Retry-After as seconds or a date', () => {
    expect(parseRetryAfter('3')).toBe(3_000);
    expect(parseRetryAfter(new Date(10_000).toUTCString(), 4_000)).toBe(6_000);
    expect(parseRetryAfter('soon')).toBeUndefined();
    expect(parseRetryAfter(null)).toBeUndefined();
  });

  it('backs off exponentially with full jitter, capped', () => {
    const options = { baseMs: 100, maxMs: 1_000 };
    expect(backoffDelay(0, options, () => 1)).toBe(100);
    expect(backoffDelay(3, options, () => 1)).toBe(800);
    expect(backoffDelay(10, options, () => 1)).toBe(1_000);
    expect(backoffDelay(3, options, () => 0.5)).toBe(400);
    expect(backoffDelay(3, options, () => 0)).toBe(0);
  });
});
