import { type AdminApiClient, createAdminApiClient } from '@shopify/admin-api-client';
import { counter, gauge } from '@understudy/observability';
import CircuitBreaker from 'opossum';
import type { Registry } from 'prom-client';
import { type BucketSnapshot, chargeShare, delayAfterThrottle, delayBeforeSend, delayForShare, newerSnapshot, newShareBucket, type QueryCost, type ShareBucket } from './pacing';
import { backoffDelay, type BackoffOptions, classifyResponse, type Outcome } from './retry';

export interface ShopifyAdminClientOptions {
  /** `example.myshopify.com`. */
  shop: string;
  accessToken: string;
  apiVersion: string;
  /**
   * Send requests to this origin instead of `https://{shop}` — the simulator
   * (`http://localhost:3100`). The official client always builds an https
   * store URL, so requests are re-pointed in its `customFetchApi`.
   */
  adminUrl?: string;
  /** Where the client's metrics go (no global registry). */
  registry: Registry;
  /** Per-attempt timeout. */
  timeoutMs?: number;
  /** Attempts per call, THROTTLED and retries included. */
  maxAttempts?: number;
  backoff?: BackoffOptions;
  /** Points kept spare when pacing (absorbs clock jitter); default 0. */
  pacingMargin?: number;
  /**
   * Share of the shop's budget (restore rate and bucket depth) this client may
   * use, in (0, 1]; default 1. The reconciler, the one bulk reader, runs at 0.5
   * so the monolith and others keep the rest.
   */
  budgetShare?: number;
  breaker?: { volumeThreshold?: number; errorThresholdPercentage?: number; resetTimeoutMs?: number; rollingCountTimeoutMs?: number };
  fetch?: typeof fetch;
  now?: () => number;
  sleep?: (ms: number, signal?: AbortSignal) => Promise<void>;
  random?: () => number;
  log?: (level: 'debug' | 'warn', message: string, details?: Record<string, unknown>) => void;
}

/** The Admin API settings an app's config holds (SHOPIFY_SHOP, SHOPIFY_ACCESS_TOKEN, SHOPIFY_API_VERSION, SHOPIFY_ADMIN_URL). */
export interface ShopifyAdminEnv {
  SHOPIFY_SHOP: string;
  SHOPIFY_ACCESS_TOKEN: string;
  SHOPIFY_API_VERSION: string;
  SHOPIFY_ADMIN_URL?: string | undefined;
}

/** Which shop a client calls, as whom, at which version and where (the simulator when SHOPIFY_ADMIN_URL is set): the client options an app's config decides. */
export function adminTarget(env: ShopifyAdminEnv): Pick<ShopifyAdminClientOptions, 'shop' | 'accessToken' | 'apiVersion' | 'adminUrl'> {
  return {
    shop: env.SHOPIFY_SHOP,
    accessToken: env.SHOPIFY_ACCESS_TOKEN,
    apiVersion: env.SHOPIFY_API_VERSION,
    ...(env.SHOPIFY_ADMIN_URL ? { adminUrl: env.SHOPIFY_ADMIN_URL } : {}),
  };
}

/** The client's `log` writing to a pino-style logger (details first, then the message). */
export function logTo(logger: Record<'debug' | 'warn', (details: Record<string, unknown>, message: string) => void>): NonNullable<ShopifyAdminClientOptions['log']> {
  return (level, message, details) => logger[level]({ ...details }, message);
}

export interface RequestOptions {
  variables?: Record<string, unknown>;
  signal?: AbortSignal;
  /** Expected requested cost, to pace the very first call of a query (later calls use what Shopify reported). */
  costEstimate?: number;
}

export interface AdminResponse<TData> {
  data: TData;
  extensions: { cost: QueryCost };
}

export type ShopifyApiErrorKind = 'fatal' | 'exhausted' | 'circuit_open' | 'aborted';

export class ShopifyApiError extends Error {
  constructor(
    readonly kind: ShopifyApiErrorKind,
    message: string,
    readonly details: { status?: number; graphQLErrors?: unknown; attempts?: number } = {},
  ) {
    super(message);
    this.name = 'ShopifyApiError';
  }
}

export interface ClientStats {
  requests: number;
  attempts: number;
  throttled: number;
  retries: number;
  /** Actual query cost spent. */
  costPoints: number;
  /** Time spent waiting for the bucket before sending. */
  pacedMs: number;
  throttleStatus: QueryCost['throttleStatus'] | undefined;
}

export interface ConnectionPage<TNode> {
  nodes?: TNode[] | null;
  edges?: Array<{ node: TNode; cursor?: string }> | null;
  pageInfo: { hasNextPage: boolean; endCursor?: string | null };
}

/** A retryable failure, thrown inside the breaker so it counts against the upstream's health. */
class RetryableFailure extends Error {
  constructor(
    readonly outcome: Extract<Outcome, { kind: 'retryable' }>,
    readonly status?: number,
  ) {
    super(outcome.reason);
  }
}

interface AttemptResult {
  outcome: Exclude<Outcome, { kind: 'retryable' }>;
  data?: unknown;
  extensions?: { cost?: QueryCost };
  graphQLErrors?: unknown;
  status?: number;
}

const defaultSleep = (ms: number, signal?: AbortSignal) =>
  new Promise<void>((resolve, reject) => {
    if (ms <= 0) return resolve();
    const timer = setTimeout(resolve, ms);
    signal?.addEventListener(
      'abort',
      () => {
        clearTimeout(timer);
        reject(signal.reason);
      },
      { once: true },
    );
  });

/**
 * The one way Understudy talks to Shopify's Admin GraphQL API: built on
 * `@shopify/admin-api-client`, paced by the bucket Shopify reports (no
 * THROTTLED in steady state, while spending the restore rate), retrying
 * THROTTLED, 429, 5xx and network errors with jittered exponential backoff,
 * with a per-attempt timeout, behind an opossum circuit breaker.
 * Framework-free: the Nest side only constructs it.
 */
export class ShopifyAdminClient {
  private readonly client: AdminApiClient;
  private readonly breaker: CircuitBreaker<[string, Record<string, unknown> | undefined, AbortSignal], AttemptResult>;
  private readonly now: () => number;
  private readonly sleep: (ms: number, signal?: AbortSignal) => Promise<void>;
  private readonly random: () => number;
  private readonly timeoutMs: number;
  private readonly maxAttempts: number;
  private readonly backoff: BackoffOptions;
  private readonly margin: number;
  private readonly costByQuery = new Map<string, number>();
  private readonly share: ShareBucket;
  private latest: { snapshot: BucketSnapshot; sequence: number } | undefined;
  private sequence = 0;
  /** Requested cost of calls sent after the latest snapshot's call and not yet reported. */
  private readonly outstanding = new Map<number, number>();
  private readonly counters: ClientStats = { requests: 0, attempts: 0, throttled: 0, retries: 0, costPoints: 0, pacedMs: 0, throttleStatus: undefined };
  private readonly metrics;

  constructor(private readonly options: ShopifyAdminClientOptions) {
    this.now = options.now ?? Date.now;
    this.sleep = options.sleep ?? defaultSleep;
    this.random = options.random ?? Math.random;
    this.timeoutMs = options.timeoutMs ?? 10_000;
    this.maxAttempts = options.maxAttempts ?? 8;
    this.backoff = options.backoff ?? { baseMs: 250, maxMs: 10_000 };
    this.margin = options.pacingMargin ?? 0;
    this.share = newShareBucket(options.budgetShare ?? 1);
    const baseFetch = options.fetch ?? fetch;
    const adminUrl = options.adminUrl?.replace(/\/$/, '');
    this.client = createAdminApiClient({
      storeDomain: options.shop,
      apiVersion: options.apiVersion,
      accessToken: options.accessToken,
      retries: 0,
      customFetchApi: (url, init) => baseFetch(adminUrl ? rewriteOrigin(String(url), adminUrl) : url, init),
      logger: (entry) => {
        if (entry.type === 'Unsupported_Api_Version') options.log?.('debug', 'API version outside the client library’s list', { apiVersion: options.apiVersion });
      },
    });
    this.breaker = new CircuitBreaker((query: string, variables: Record<string, unknown> | undefined, signal: AbortSignal) => this.attempt(query, variables, signal), {
      timeout: false,
      volumeThreshold: options.breaker?.volumeThreshold ?? 10,
      errorThresholdPercentage: options.breaker?.errorThresholdPercentage ?? 50,
      resetTimeout: options.breaker?.resetTimeoutMs ?? 10_000,
      rollingCountTimeout: options.breaker?.rollingCountTimeoutMs ?? 10_000,
    });
    const registry = options.registry;
    this.metrics = {
      points: counter(registry, 'understudy_shopify_cost_points_total', 'Admin GraphQL cost points spent (actual query cost).'),
      throttled: counter(registry, 'understudy_shopify_throttled_total', 'Admin GraphQL calls Shopify answered with THROTTLED.'),
      requests: counter(registry, 'understudy_shopify_requests_total', 'Admin GraphQL attempts, by outcome.', ['outcome']),
      available: gauge(registry, 'understudy_shopify_bucket_available', 'Cost points available in the bucket at the last response.'),
    };
  }

  get circuitState(): 'closed' | 'open' | 'half_open' {
    return this.breaker.opened ? 'open' : this.breaker.halfOpen ? 'half_open' : 'closed';
  }

  stats(): ClientStats {
    return { ...this.counters };
  }

  /** Runs one query or mutation: paced, retried, timed out per attempt, behind the breaker. */
  async request<TData = Record<string, unknown>>(query: string, options: RequestOptions = {}): Promise<AdminResponse<TData>> {
    this.counters.requests++;
    for (let attempt = 0; attempt < this.maxAttempts; attempt++) {
      if (options.signal?.aborted) throw new ShopifyApiError('aborted', 'request aborted');
      const estimate = this.costByQuery.get(query) ?? options.costEstimate;
      if (estimate !== undefined) await this.pace(estimate, options.signal);
      chargeShare(this.share, this.latest?.snapshot.status, this.now(), estimate ?? 0);
      const sequence = ++this.sequence;
      this.outstanding.set(sequence, estimate ?? 0);
      const signal = options.signal ? AbortSignal.any([options.signal, AbortSignal.timeout(this.timeoutMs)]) : AbortSignal.timeout(this.timeoutMs);
      let result: AttemptResult;
      try {
        this.counters.attempts++;
        result = await this.breaker.fire(query, options.variables, signal);
      } catch (error) {
        this.outstanding.delete(sequence);
        chargeShare(this.share, this.latest?.snapshot.status, this.now(), -(estimate ?? 0));
        if (options.signal?.aborted) throw new ShopifyApiError('aborted', 'request aborted');
        if (this.breaker.opened && !(error instanceof RetryableFailure)) {
          this.metrics.requests.inc({ outcome: 'circuit_open' });
          throw new ShopifyApiError('circuit_open', 'Shopify circuit breaker is open; not calling Shopify', { attempts: attempt + 1 });
        }
        const failure = error instanceof RetryableFailure ? error : new RetryableFailure({ kind: 'retryable', reason: String(error) });
        this.metrics.requests.inc({ outcome: 'retryable' });
        if (attempt + 1 >= this.maxAttempts) {
          throw new ShopifyApiError('exhausted', `Shopify call failed after ${attempt + 1} attempts: ${failure.message}`, {
            status: failure.status,
            attempts: attempt + 1,
          });
        }
        this.counters.retries++;
        const delay = failure.outcome.retryAfterMs ?? backoffDelay(attempt, this.backoff, this.random);
        this.options.log?.('warn', 'retrying Shopify call', { reason: failure.message, attempt: attempt + 1, delayMs: delay });
        await this.sleep(delay, options.signal);
        continue;
      }
      const cost = result.extensions?.cost;
      this.outstanding.delete(sequence);
      if (cost) this.observe(cost, sequence);
      // What the call really cost the share: its actual cost (nothing when refused), minus the up-front charge.
      chargeShare(this.share, this.latest?.snapshot.status, this.now(), (cost?.actualQueryCost ?? 0) - (estimate ?? 0));
      if (result.outcome.kind === 'ok') {
        this.metrics.requests.inc({ outcome: 'ok' });
        return { data: result.data as TData, extensions: { cost: cost! } };
      }
      if (result.outcome.kind === 'throttled') {
        this.counters.throttled++;
        this.metrics.throttled.inc();
        this.metrics.requests.inc({ outcome: 'throttled' });
        if (attempt + 1 >= this.maxAttempts) {
          throw new ShopifyApiError('exhausted', `Shopify kept throttling after ${attempt + 1} attempts`, { attempts: attempt + 1 });
        }
        this.counters.retries++;
        const delay = cost ? delayAfterThrottle(cost, this.margin, 50) : backoffDelay(attempt, this.backoff, this.random);
        // Jitter spreads out callers that were throttled together.
        await this.sleep(delay + Math.round(this.random() * Math.min(250, delay / 4)), options.signal);
        continue;
      }
      this.metrics.requests.inc({ outcome: 'fatal' });
      throw new ShopifyApiError('fatal', result.outcome.reason, { status: result.status, graphQLErrors: result.graphQLErrors, attempts: attempt + 1 });
    }
    throw new ShopifyApiError('exhausted', `Shopify call failed after ${this.maxAttempts} attempts`);
  }

  /**
   * Pages through a connection. The query must take `$after: String` and pass
   * it as the connection's `after`; `connection` picks the connection out of
   * `data`. Yields one page at a time, so memory holds a page, not the list.
   */
  async *paginate<TNode, TData = Record<string, unknown>>(
    query: string,
    options: RequestOptions & { connection: (data: TData) => ConnectionPage<TNode>; after?: string | null },
  ): AsyncGenerator<{ nodes: TNode[]; endCursor: string | null; cost: QueryCost }> {
    let after = options.after ?? null;
    for (;;) {
      const response = await this.request<TData>(query, { ...options, variables: { ...options.variables, after } });
      const page = options.connection(response.data);
      const nodes = page.nodes ?? page.edges?.map((edge) => edge.node) ?? [];
      const endCursor = page.pageInfo.endCursor ?? null;
      yield { nodes, endCursor, cost: response.extensions.cost };
      if (!page.pageInfo.hasNextPage || !endCursor) return;
      after = endCursor;
    }
  }

  async close(): Promise<void> {
    this.breaker.shutdown();
  }

  private async pace(cost: number, signal?: AbortSignal): Promise<void> {
    for (;;) {
      let outstanding = 0;
      for (const [sequence, points] of this.outstanding) if (!this.latest || sequence > this.latest.sequence) outstanding += points;
      const now = this.now();
      const delay = Math.max(
        delayBeforeSend(this.latest?.snapshot, now, cost, outstanding, this.margin),
        delayForShare(this.share, this.latest?.snapshot.status, now, cost),
      );
      if (delay <= 0) return;
      this.counters.pacedMs += delay;
      await this.sleep(delay, signal);
    }
  }

  private observe(cost: QueryCost, sequence: number): void {
    this.latest = newerSnapshot(this.latest, { snapshot: { status: cost.throttleStatus, at: this.now() }, sequence });
    this.counters.throttleStatus = cost.throttleStatus;
    this.metrics.available.set(cost.throttleStatus.currentlyAvailable);
    if (cost.actualQueryCost !== null) {
      this.counters.costPoints += cost.actualQueryCost;
      this.metrics.points.inc(cost.actualQueryCost);
    }
  }

  /** One HTTP attempt through the official client; retryable failures throw (for the breaker), the rest resolve. */
  private async attempt(query: string, variables: Record<string, unknown> | undefined, signal: AbortSignal): Promise<AttemptResult> {
    const response = await this.client.request(query, { variables, signal });
    const errors = response.errors as
      | { networkStatusCode?: number; message?: string; graphQLErrors?: ReadonlyArray<{ message?: string; extensions?: { code?: unknown } }>; response?: Response }
      | undefined;
    const status = errors ? errors.networkStatusCode : 200;
    const outcome = classifyResponse({
      status,
      graphQLErrors: errors?.graphQLErrors,
      retryAfter: errors?.response?.headers?.get('retry-after'),
      networkError: errors?.message,
    });
    if (outcome.kind === 'retryable') throw new RetryableFailure(outcome, status);
    const extensions = response.extensions as { cost?: QueryCost } | undefined;
    if (extensions?.cost) this.costByQuery.set(query, extensions.cost.requestedQueryCost);
    return { outcome, data: response.data, extensions, graphQLErrors: errors?.graphQLErrors, status };
  }
}

/** `https://shop.myshopify.com/admin/api/…` → `http://localhost:3100/admin/api/…`. */
export function rewriteOrigin(url: string, origin: string): string {
  const parsed = new URL(url);
  return `${origin}${parsed.pathname}${parsed.search}`;
}
