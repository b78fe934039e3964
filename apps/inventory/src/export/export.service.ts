import { Injectable } from '@nestjs/common';
import type { ExportPage, ExportSource } from '@understudy/platform';
import type { ExportQuery, InventoryExportKind } from '@understudy/contracts';
import { Database } from '../database/database';
import { EXPORT_ITEMS, EXPORT_LEVELS, EXPORT_PRODUCTS } from './export.sql';

/** Pages of the projection for the reconciler's diff: at most `limit` rows in memory, whatever the table's size. */
@Injectable()
export class ExportService implements ExportSource<InventoryExportKind, ExportQuery> {
  constructor(private readonly database: Database) {}

  async page(kind: InventoryExportKind, query: ExportQuery): Promise<ExportPage> {
    const ids = query.ids ?? null;
    const [first = '0', second = '0'] = (query.after ?? '0').split(':');
    const rows =
      kind === 'levels'
        ? await this.database.query<Record<string, unknown>>(EXPORT_LEVELS, [first, query.after?.includes(':') ? second : '0', query.limit, ids])
        : await this.database.query<Record<string, unknown>>(kind === 'items' ? EXPORT_ITEMS : EXPORT_PRODUCTS, [first, query.limit, ids]);
    const last = rows.at(-1);
    const next = rows.length < query.limit || !last ? undefined : kind === 'levels' ? `${last['inventoryItemId']}:${last['locationId']}` : String(last[kind === 'items' ? 'inventoryItemId' : 'productId']);
    return { rows, next };
  }
}
