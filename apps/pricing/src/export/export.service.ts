import { Injectable } from '@nestjs/common';
import type { ExportPageQuery } from '@understudy/contracts';
import type { ExportPage, ExportSource } from '@understudy/platform';
import { Database } from '../database/database';
import { EXPORT_PAGES, type PricingExportKind } from './export.sql';

/** Keyset pages of the projection, in key order (`after` = the last key, `a` or `a:b`). */
@Injectable()
export class ExportService implements ExportSource<PricingExportKind, ExportPageQuery> {
  constructor(private readonly database: Database) {}

  async page(kind: PricingExportKind, { after, limit }: ExportPageQuery): Promise<ExportPage> {
    const statement = EXPORT_PAGES[kind];
    const [first = null, second = null] = after === undefined ? [] : after.split(':');
    const values = statement.keyColumns === 2 ? [first, limit, second ?? '0'] : [first, limit];
    const rows = await this.database.query<Record<string, unknown>>(statement, values);
    const last = rows.length === limit ? rows[rows.length - 1] : undefined;
    return { rows, next: last ? keyOf(kind, last) : null };
  }
}

function keyOf(kind: PricingExportKind, row: Record<string, unknown>): string {
  switch (kind) {
    case 'variants':
      return String(row['variantId']);
    case 'price-lists':
      return String(row['priceListId']);
    case 'fixed-prices':
    case 'quantity-rules':
      return `${String(row['priceListId'])}:${String(row['variantId'])}`;
    case 'catalogs':
      return String(row['catalogId']);
    case 'company-locations':
      return String(row['companyLocationId']);
  }
}
