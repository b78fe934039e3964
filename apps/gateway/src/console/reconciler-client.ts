/**
 * Reads the reconciler's HTTP API (`GET /v1/runs`, `GET /v1/delivery`) for
 * the console's Shopify-sync panel. The reconciler is optional to the
 * gateway: unset, down, slow or answering nonsense, each read resolves to
 * `{available: false, reason}` within its deadline instead of throwing, so
 * the console says "reconciler unavailable" and everything else still works.
 */
export type ReconcilerRead = { readonly available: true; readonly body: unknown } | { readonly available: false; readonly reason: string };

export interface ReconcilerClientOptions {
  /** Base URL (`RECONCILER_URL`); undefined when the gateway was not told where the reconciler is. */
  readonly baseUrl: string | undefined;
  readonly timeoutMs: number;
  /** Larger answers are refused rather than buffered. */
  readonly maxBodyBytes: number;
  readonly fetch?: typeof fetch;
}

export class ReconcilerClient {
  private readonly fetch: typeof fetch;

  constructor(private readonly options: ReconcilerClientOptions) {
    this.fetch = options.fetch ?? fetch;
  }

  get configured(): boolean {
    return this.options.baseUrl !== undefined;
  }

  /** GET `path` (with its query) on the reconciler; a JSON answer with status 200 is available, anything else is a reason. */
  async get(path: string): Promise<ReconcilerRead> {
    const { baseUrl, timeoutMs, maxBodyBytes } = this.options;
    if (baseUrl === undefined) return { available: false, reason: 'RECONCILER_URL is not set on the gateway' };
    const url = new URL(path, baseUrl.endsWith('/') ? baseUrl : `${baseUrl}/`);
    try {
      const response = await this.fetch(url, { signal: AbortSignal.timeout(timeoutMs), headers: { accept: 'application/json' } });
      const length = Number(response.headers.get('content-length') ?? 0);
      if (length > maxBodyBytes) {
        await response.body?.cancel();
        return { available: false, reason: `the reconciler's answer to ${url.pathname} is ${length} bytes, over ${maxBodyBytes}` };
      }
      const text = await response.text();
      if (Buffer.byteLength(text) > maxBodyBytes) return { available: false, reason: `the reconciler's answer to ${url.pathname} is over ${maxBodyBytes} bytes` };
      if (response.status !== 200) return { available: false, reason: `the reconciler answered ${url.pathname} with HTTP ${response.status}` };
      try {
        return { available: true, body: JSON.parse(text) as unknown };
      } catch {
        return { available: false, reason: `the reconciler's answer to ${url.pathname} is not JSON` };
      }
    } catch (error) {
      // The deadline surfaces as a TimeoutError itself (while reading the body) or inside the cause of fetch's TypeError (while connecting).
      const cause = error instanceof Error ? error.cause : undefined;
      const text = [error, cause].map((e) => (e instanceof Error ? `${e.name}: ${e.message}` : String(e ?? ''))).join(' ');
      const timedOut = /TimeoutError|AbortError|aborted due to timeout/.test(text);
      if (timedOut) return { available: false, reason: `the reconciler did not answer ${url.pathname} within ${timeoutMs} ms` };
      const why = cause instanceof Error ? cause.message : error instanceof Error ? error.message : String(error);
      return { available: false, reason: `the reconciler at ${url.origin} is unreachable (${why})` };
    }
  }
}
