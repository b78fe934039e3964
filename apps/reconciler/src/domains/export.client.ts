import { EXPORT_NEXT_HEADER } from '@understudy/contracts';
import { jsonlLines } from '@understudy/shopify';
import type { z } from 'zod';

export class ExportClientError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ExportClientError';
  }
}

export interface ExportClientOptions {
  /** Each page's own deadline. */
  timeoutMs: number;
  /** Rows asked for per page by `all`. */
  pageSize: number;
  fetch?: typeof fetch;
}

/** One page's query: the last key of the previous page, rows per page, and (where the module supports it) only these ids. */
export interface ExportPageRequest {
  after?: string;
  limit: number;
  ids?: readonly string[];
}

type RowSchemas = Readonly<Record<string, z.ZodType>>;

/**
 * Reads a module's export (`GET /v1/export/{kind}`, rows in libs/contracts, one schema per kind),
 * one page per request, each with its own deadline, every row validated against the contract.
 * Memory: one page of rows in flight.
 */
export class ExportClient<S extends RowSchemas> {
  constructor(
    /** The module's name, for error messages. */
    private readonly module: string,
    private readonly baseUrl: string,
    private readonly schemas: S,
    protected readonly options: ExportClientOptions,
  ) {}

  /** Every row of `kind`, page after page in key order. */
  async *all<K extends keyof S & string>(kind: K, signal: AbortSignal): AsyncGenerator<z.infer<S[K]>> {
    let after: string | undefined;
    do {
      const page = await this.page(kind, { after, limit: this.options.pageSize }, signal);
      yield* page.rows;
      after = page.next;
    } while (after);
  }

  protected async page<K extends keyof S & string>(kind: K, query: ExportPageRequest, signal: AbortSignal): Promise<{ rows: Array<z.infer<S[K]>>; next: string | undefined }> {
    const url = new URL(`/v1/export/${kind}`, this.baseUrl);
    url.searchParams.set('limit', String(query.limit));
    if (query.after) url.searchParams.set('after', query.after);
    if (query.ids) url.searchParams.set('ids', query.ids.join(','));
    const response = await (this.options.fetch ?? fetch)(url, { signal: AbortSignal.any([signal, AbortSignal.timeout(this.options.timeoutMs)]) });
    if (response.status !== 200 || !response.body) {
      throw new ExportClientError(`${this.module} export ${kind} answered HTTP ${response.status}: ${(await response.text()).slice(0, 300)}`);
    }
    const schema = this.schemas[kind]!;
    const rows: Array<z.infer<S[K]>> = [];
    for await (const line of jsonlLines(response.body)) {
      const parsed = schema.safeParse(line);
      if (!parsed.success) throw new ExportClientError(`${this.module} export ${kind} sent an invalid row: ${parsed.error.issues[0]?.message ?? 'invalid'}`);
      rows.push(parsed.data as z.infer<S[K]>);
    }
    return { rows, next: response.headers.get(EXPORT_NEXT_HEADER) ?? undefined };
  }
}
