import {
  EXPORT_MAX_IDS,
  EXPORT_NEXT_HEADER,
  EXPORTED_ROW_SCHEMAS,
  type ExportedItem,
  type ExportedLevel,
  type ExportedProduct,
  type InventoryExportKind,
} from '@understudy/contracts';
import { jsonlLines } from '@understudy/shopify';

type Row<K extends InventoryExportKind> = K extends 'levels' ? ExportedLevel : K extends 'items' ? ExportedItem : ExportedProduct;

export class InventoryExportError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'InventoryExportError';
  }
}

/**
 * Reads inventory's export (`GET /v1/export/{kind}`), one page per request,
 * each with its own deadline, every row validated against the contract.
 * Memory: one page of rows in flight.
 */
export class InventoryExportClient {
  constructor(
    private readonly baseUrl: string,
    private readonly options: { timeoutMs: number; pageSize: number; fetch?: typeof fetch },
  ) {}

  /** Every row of `kind`, page after page. */
  async *all<K extends InventoryExportKind>(kind: K, signal: AbortSignal): AsyncGenerator<Row<K>> {
    let after: string | undefined;
    do {
      const page = await this.page(kind, { after, limit: this.options.pageSize }, signal);
      yield* page.rows;
      after = page.next;
    } while (after);
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

  private async page<K extends InventoryExportKind>(
    kind: K,
    query: { after?: string; limit: number; ids?: readonly string[] },
    signal: AbortSignal,
  ): Promise<{ rows: Array<Row<K>>; next: string | undefined }> {
    const url = new URL(`/v1/export/${kind}`, this.baseUrl);
    url.searchParams.set('limit', String(query.limit));
    if (query.after) url.searchParams.set('after', query.after);
    if (query.ids) url.searchParams.set('ids', query.ids.join(','));
    const response = await (this.options.fetch ?? fetch)(url, { signal: AbortSignal.any([signal, AbortSignal.timeout(this.options.timeoutMs)]) });
    if (response.status !== 200 || !response.body) {
      throw new InventoryExportError(`inventory export ${kind} answered HTTP ${response.status}: ${(await response.text()).slice(0, 300)}`);
    }
    const schema = EXPORTED_ROW_SCHEMAS[kind];
    const rows: Array<Row<K>> = [];
    for await (const line of jsonlLines(response.body)) {
      const parsed = schema.safeParse(line);
      if (!parsed.success) throw new InventoryExportError(`inventory export ${kind} sent an invalid row: ${parsed.error.issues[0]?.message ?? 'invalid'}`);
      rows.push(parsed.data as Row<K>);
    }
    return { rows, next: response.headers.get(EXPORT_NEXT_HEADER) ?? undefined };
  }
}
