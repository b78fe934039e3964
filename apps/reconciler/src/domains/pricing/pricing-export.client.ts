import { EXPORT_NEXT_HEADER, PRICING_EXPORTED_ROW_SCHEMAS, type PricingExportedRow, type PricingExportKind } from '@understudy/contracts';
import { jsonlLines } from '@understudy/shopify';

export class PricingExportError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'PricingExportError';
  }
}

/**
 * Reads pricing's export (`GET /v1/export/{kind}`, rows in libs/contracts
 * pricing-export.ts), one page per request, each with its own deadline,
 * every row validated against the contract. Memory: one page in flight.
 */
export class PricingExportClient {
  constructor(
    private readonly baseUrl: string,
    private readonly options: { timeoutMs: number; pageSize: number; fetch?: typeof fetch },
  ) {}

  /** Every row of `kind`, tombstones included, page after page in key order. */
  async *all<K extends PricingExportKind>(kind: K, signal: AbortSignal): AsyncGenerator<PricingExportedRow<K>> {
    let after: string | undefined;
    do {
      const page = await this.page(kind, after, signal);
      yield* page.rows;
      after = page.next;
    } while (after);
  }

  private async page<K extends PricingExportKind>(kind: K, after: string | undefined, signal: AbortSignal): Promise<{ rows: Array<PricingExportedRow<K>>; next: string | undefined }> {
    const url = new URL(`/v1/export/${kind}`, this.baseUrl);
    url.searchParams.set('limit', String(this.options.pageSize));
    if (after) url.searchParams.set('after', after);
    const response = await (this.options.fetch ?? fetch)(url, { signal: AbortSignal.any([signal, AbortSignal.timeout(this.options.timeoutMs)]) });
    if (response.status !== 200 || !response.body) {
      throw new PricingExportError(`pricing export ${kind} answered HTTP ${response.status}: ${(await response.text()).slice(0, 300)}`);
    }
    const schema = PRICING_EXPORTED_ROW_SCHEMAS[kind];
    const rows: Array<PricingExportedRow<K>> = [];
    for await (const line of jsonlLines(response.body)) {
      const parsed = schema.safeParse(line);
      if (!parsed.success) throw new PricingExportError(`pricing export ${kind} sent an invalid row: ${parsed.error.issues[0]?.message ?? 'invalid'}`);
      rows.push(parsed.data as PricingExportedRow<K>);
    }
    return { rows, next: response.headers.get(EXPORT_NEXT_HEADER) ?? undefined };
  }
}
