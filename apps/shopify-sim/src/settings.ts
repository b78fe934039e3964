import type { Config } from './config';

/**
 * What the control API can change at run time. Starts from the environment
 * (config.ts); `PUT /_sim/settings` and `PUT /_sim/chaos` update it in place.
 */
export interface ChaosSettings {
  /** Probability that a delivery is also sent a second time (new webhook id, same event id). */
  duplicateRate: number;
  /** Each delivery waits a random 0…window ms, so deliveries overtake each other. */
  reorderWindowMs: number;
  /** Probability that a delivery is never sent (only a reconciler can notice). */
  dropRate: number;
  /** Fixed extra wait before every delivery. */
  addedDelayMs: number;
}

export interface WebhookSettings {
  connectTimeoutMs: number;
  timeoutMs: number;
  concurrency: number;
  maxPending: number;
  logSize: number;
  /** Failed retries in a row after which an Admin-API subscription is deleted. */
  removeAfterFailures: number;
  /** Shopify also sends `products/update` when a variant's inventory changes. */
  productUpdateOnInventoryChange: boolean;
}

export interface SimSettings {
  shop: string;
  appSecret: string;
  accessTokens: string[];
  /** Simulated seconds per real second for the webhook retry schedule (3600: 4 h → 4 s). */
  timeScale: number;
  webhook: WebhookSettings;
  chaos: ChaosSettings;
}

export const NO_CHAOS: ChaosSettings = { duplicateRate: 0, reorderWindowMs: 0, dropRate: 0, addedDelayMs: 0 };

export function settingsFromConfig(config: Config): SimSettings {
  return {
    shop: config.SIM_SHOP,
    appSecret: config.SIM_APP_SECRET,
    accessTokens: config.SIM_ACCESS_TOKENS,
    timeScale: config.SIM_TIME_SCALE,
    webhook: {
      connectTimeoutMs: config.SIM_WEBHOOK_CONNECT_TIMEOUT_MS,
      timeoutMs: config.SIM_WEBHOOK_TIMEOUT_MS,
      concurrency: config.SIM_WEBHOOK_CONCURRENCY,
      maxPending: config.SIM_WEBHOOK_MAX_PENDING,
      logSize: config.SIM_WEBHOOK_LOG_SIZE,
      removeAfterFailures: 8,
      productUpdateOnInventoryChange: true,
    },
    chaos: { ...NO_CHAOS },
  };
}
