import { EXPORT_MAX_IDS, EXPORTED_ROW_SCHEMAS, type InventoryExportKind } from '@understudy/contracts';
import type { z } from 'zod';
import { ExportClient, type ExportClientOptions } from '../export.client';

type Row<K extends InventoryExportKind> = z.infer<(typeof EXPORTED_ROW_SCHEMAS)[K]>;

/** Reads inventory's export (rows in libs/contracts inventory-export.ts); it can also be asked for some ids only. */
export class InventoryExportClient extends ExportClient<typeof EXPORTED_ROW_SCHEMAS> {
  constructor(baseUrl: string, options: ExportClientOptions) {
    super('inventory', baseUrl, EXPORTED_ROW_SCHEMAS, options);
  }

  /** The rows of these ids (inventory item ids for levels and items, product ids for products). */
  async byIds<K extends InventoryExportKind>(kind: K, ids: readonly string[], signal: AbortSignal): Promise<Array<Row<K>>> {
    const rows: Array<Row<K>> = [];
    const unique = [...new Set(ids)];
    for (let i = 0; i < unique.length; i += EXPORT_MAX_IDS) {
      let after: string | undefined;
      do {
        const page = await this.page(kind, { after, limit: 10_000, ids: unique.slice(i, i + EXPORT_MAX_IDS) }, signal);
        rows.push(...page.rows);
        after = page.next;
      } while (after);
    }
    return rows;
  }
}
