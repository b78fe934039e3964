import type { SqlRunner } from './sql';

export interface ObservedChange {
  key: string;
  updatedAt: string;
  via: 'webhook' | 'reconciler';
}

export interface DeliveryHour {
  shop: string;
  hour: string;
  changes: number;
  viaWebhook: number;
  viaReconciler: number;
}

/**
 * Each change Shopify made that an incremental read saw, recorded once (the
 * lookback re-reads changes; the first observation decides how it arrived).
 */
export class DeliveryStore {
  constructor(private readonly sql: SqlRunner) {}

  async record(shop: string, domain: string, changes: readonly ObservedChange[]): Promise<void> {
    if (changes.length === 0) return;
    await this.sql.query(
      `INSERT INTO delivery_changes (shop, domain, key, updated_at, via)
       SELECT $1, $2, * FROM unnest($3::text[], $4::timestamptz[], $5::text[])
       ON CONFLICT DO NOTHING`,
      [shop, domain, changes.map((c) => c.key), changes.map((c) => c.updatedAt), changes.map((c) => c.via)],
    );
  }

  /** Per shop and hour of Shopify's change time, over the last `hours` hours, oldest first. */
  async byHour(hours: number): Promise<DeliveryHour[]> {
    const rows = await this.sql.query<{ shop: string; hour: Date; changes: string; via_webhook: string; via_reconciler: string }>(
      `SELECT shop, date_trunc('hour', updated_at) AS hour, count(*) AS changes,
              count(*) FILTER (WHERE via = 'webhook') AS via_webhook, count(*) FILTER (WHERE via = 'reconciler') AS via_reconciler
         FROM delivery_changes
        WHERE updated_at >= date_trunc('hour', now()) - ($1::int - 1) * interval '1 hour'
        GROUP BY 1, 2 ORDER BY 1, 2`,
      [hours],
    );
    return rows.map((row) => ({
      shop: row.shop,
      hour: row.hour.toISOString(),
      changes: Number(row.changes),
      viaWebhook: Number(row.via_webhook),
      viaReconciler: Number(row.via_reconciler),
    }));
  }

  /** Drops what no report looks at any more. */
  async prune(retentionHours: number): Promise<void> {
    await this.sql.query(`DELETE FROM delivery_changes WHERE updated_at < now() - $1::int * interval '1 hour'`, [retentionHours]);
  }
}
