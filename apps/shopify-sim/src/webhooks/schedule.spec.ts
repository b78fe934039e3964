import { isDeliverySuccess, retryDelayMs, retryDelaysMs, WEBHOOK_RETRIES, WEBHOOK_RETRY_WINDOW_MS } from './schedule';

describe('webhook retry schedule', () => {
  it('retries 8 times, doubling each wait, over 4 hours in total', () => {
    const delays = retryDelaysMs();
    expect(delays).toHaveLength(WEBHOOK_RETRIES);
    delays.slice(1).forEach((delay, i) => expect(delay / delays[i]!).toBeCloseTo(2));
    expect(delays.reduce((a, b) => a + b, 0)).toBeCloseTo(WEBHOOK_RETRY_WINDOW_MS);
    expect(Math.round(delays[0]! / 1000)).toBe(56);
  });

  it('compresses with the time scale', () => {
    expect(retryDelayMs(8, 3_600)).toBeCloseTo(retryDelaysMs()[7]! / 3_600);
    expect(retryDelayMs(99)).toBe(retryDelaysMs()[7]);
  });

  it('treats only 2xx as success, 3xx included among failures', () => {
    expect([200, 201, 204, 299].every(isDeliverySuccess)).toBe(true);
    expect([199, 301, 302, 304, 400, 429, 500, 503].some(isDeliverySuccess)).toBe(false);
  });
});
