import type { DeliveryHour } from '../persistence/delivery-store';

export interface ShopDelivery {
  shop: string;
  changes: number;
  viaWebhook: number;
  viaReconciler: number;
  /** viaWebhook / changes; null when Shopify made no change in the window. */
  ratio: number | null;
  /** Below the alert threshold. */
  alerting: boolean;
  hours: Array<DeliveryHour & { ratio: number | null }>;
}

export function ratio(viaWebhook: number, changes: number): number | null {
  return changes === 0 ? null : viaWebhook / changes;
}

/** The end-to-end delivery ratio per shop over the window, with its hours. */
export function summarise(hours: readonly DeliveryHour[], alertBelow: number): ShopDelivery[] {
  const byShop = new Map<string, DeliveryHour[]>();
  for (const hour of hours) byShop.set(hour.shop, [...(byShop.get(hour.shop) ?? []), hour]);
  return [...byShop].map(([shop, rows]) => {
    const changes = rows.reduce((sum, row) => sum + row.changes, 0);
    const viaWebhook = rows.reduce((sum, row) => sum + row.viaWebhook, 0);
    const viaReconciler = rows.reduce((sum, row) => sum + row.viaReconciler, 0);
    const shopRatio = ratio(viaWebhook, changes);
    return {
      shop,
      changes,
      viaWebhook,
      viaReconciler,
      ratio: shopRatio,
      alerting: shopRatio !== null && shopRatio < alertBelow,
      hours: rows.map((row) => ({ ...row, ratio: ratio(row.viaWebhook, row.changes) })),
    };
  });
}
