/**
 * Shopify retries a failed webhook 8 times over 4 hours with exponential
 * backoff (shopify.dev changelog "Updates to webhook retry mechanism",
 * 2024-09-10). Shopify does not publish the exact intervals, so the simulator
 * doubles each wait and sizes the first so that all 8 add up to 4 hours:
 * ≈56 s, 1.9 min, 3.8 min, 7.5 min, 15 min, 30 min, 1 h, 2 h.
 *
 * `timeScale` compresses the schedule for tests: 3600 turns 4 hours into 4 seconds.
 */
export const WEBHOOK_RETRIES = 8;
export const WEBHOOK_RETRY_WINDOW_MS = 4 * 60 * 60 * 1000;

export function retryDelaysMs(retries = WEBHOOK_RETRIES, windowMs = WEBHOOK_RETRY_WINDOW_MS): number[] {
  const first = windowMs / (2 ** retries - 1);
  return Array.from({ length: retries }, (_, index) => first * 2 ** index);
}

const DELAYS = retryDelaysMs();

/** Wait before retry number `retry` (1-based), in real milliseconds after compression. */
export function retryDelayMs(retry: number, timeScale = 1): number {
  const delay = DELAYS[Math.min(Math.max(retry, 1), DELAYS.length) - 1]!;
  return delay / Math.max(timeScale, Number.MIN_VALUE);
}

/** Any 2xx is a success; everything else — 3xx included — is a failure. */
export function isDeliverySuccess(status: number): boolean {
  return status >= 200 && status < 300;
}
