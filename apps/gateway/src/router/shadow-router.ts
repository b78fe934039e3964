import type { IncomingHttpHeaders } from 'node:http';
import { type ComparisonResult, type ResponseSide } from '@understudy/comparison';
import { SHADOW_HEADER } from '@understudy/contracts';
import { errorBody } from '@understudy/platform';
import type { Logger } from 'pino';
import type { GatewayMetrics } from '../gateway-metrics';
import type { LiveRoute, LiveRoutes } from '../routes/live-routes';
import { decide, type RequestContext, type RoutingDecision, type Upstream } from '../routes/bucketing';
import { type Observation, observationFrom } from '../stats/observation';
import type { DiffRecorder } from '../persistence/diff-recorder';
import type { Breakers } from '../upstream/breakers';
import { type CallResult, isFailure, type UpstreamClient } from '../upstream/upstream-client';
import type { CheckoutRoute, RouteTarget, UpstreamName } from '../routes/checkout-routes';
import type { ShadowSlots } from './shadow-slots';
import type { CartTokenMigration, MigratedToken } from './token-migration';

export interface RouterDeps {
  readonly routes: LiveRoutes;
  readonly upstreams: Readonly<Record<UpstreamName, UpstreamClient>>;
  readonly breakers: Breakers;
  readonly slots: ShadowSlots;
  readonly metrics: GatewayMetrics;
  readonly diffs: DiffRecorder;
  readonly logger: Logger;
  readonly replica: string;
  readonly tokens: CartTokenMigration;
  readonly primaryMaxBodyBytes: number;
  readonly shadowMaxBodyBytes: number;
  readonly random?: () => number;
}

export interface IncomingCall<B> {
  readonly requestId: string;
  /** The JSON body as the client sent it (forwarded as is to the monolith). */
  readonly rawBody: unknown;
  /** The same body after contract validation (ids normalised). */
  readonly body: B;
  readonly headers: IncomingHttpHeaders;
}

export interface Answer {
  readonly status: number;
  readonly body: Buffer | string;
  readonly contentType: string;
  /** Which upstream produced the body; `gateway` for the gateway's own errors. */
  readonly upstream: Upstream | 'gateway';
  readonly replayed: boolean;
}

/** Headers a checkout client may send that the upstreams need too. */
const FORWARDED_HEADERS = ['authorization', 'accept-language', 'idempotency-key', 'x-shopify-shop-domain', 'x-customer-id', 'x-customer-tags', 'x-company-location-id'];

/**
 * The shadow router: one request in, the primary's answer out, and — only
 * after the answer is on its way — the shadow call, the comparison, the
 * noise sample and the bookkeeping, bounded by `ShadowSlots`, the route's
 * shadow timeout and the body cap. Framework-free; the controller calls
 * `serve`, sends the answer, then runs `after`.
 */
export class ShadowRouter {
  private readonly random: () => number;

  constructor(private readonly deps: RouterDeps) {
    this.random = deps.random ?? Math.random;
  }

  async serve<B>(route: CheckoutRoute<B>, call: IncomingCall<B>): Promise<{ answer: Answer; after: () => Promise<void> }> {
    const live = this.deps.routes.get(route.name)!;
    const config = live.config;
    const fromBody = route.context(call.body);
    const migrated = this.deps.tokens.migrate(config.tokenMigration, fromBody.cartToken);
    const context: RequestContext = {
      requestId: call.requestId,
      cartToken: migrated.ok && migrated.token !== undefined ? migrated.token : fromBody.cartToken,
      customerId: fromBody.customerId ?? header(call.headers, 'x-customer-id'),
      companyLocationId: fromBody.companyLocationId ?? header(call.headers, 'x-company-location-id'),
      shopDomain: header(call.headers, 'x-shopify-shop-domain'),
      customerTags: header(call.headers, 'x-customer-tags')
        ?.split(',')
        .map((tag) => tag.trim())
        .filter(Boolean),
      headers: call.headers,
    };
    let decision = decide(config, context);
    if (!migrated.ok) {
      this.deps.metrics.tokenMigrationFailures.inc({ route: route.name });
      if (decision.mode === 'module-only') {
        const answer = gatewayError(400, 'INVALID_CART_TOKEN', `the cart token cannot be used: ${migrated.reason}`);
        return { answer, after: async () => undefined };
      }
      // The module never sees a token that failed verification: the monolith answers (and rejects it), nobody is compared.
      decision = { ...decision, primary: 'monolith', shadow: false, fallbackToMonolith: false };
    }
    const requests = new UpstreamRequests(route, call, migrated);

    let primary: CallResult;
    let fallback: CallResult | undefined;
    if (decision.primary === 'monolith') {
      primary = await this.callSide(route, live, requests, 'monolith', false, config.timeouts.primaryMs, this.deps.primaryMaxBodyBytes);
    } else {
      primary = await this.callSide(route, live, requests, 'module', false, config.timeouts.primaryMs, this.deps.primaryMaxBodyBytes);
      if (isFailure(primary) && decision.fallbackToMonolith) {
        fallback = await this.callSide(route, live, requests, 'monolith', false, config.timeouts.primaryMs, this.deps.primaryMaxBodyBytes);
        this.deps.metrics.fallbacks.inc({ route: route.name, reason: primary.kind === 'failed' ? primary.failure : 'status_5xx' });
      }
    }
    const served = fallback ?? primary;
    const answeredBy: Upstream = fallback ? 'monolith' : decision.primary;
    // What the client waited for: the failed module call too, when the monolith answered in its place.
    this.deps.metrics.latency.observe({ route: route.name, side: 'primary' }, (fallback ? primary.ms + fallback.ms : primary.ms) / 1000);
    return {
      answer: toAnswer(served, answeredBy),
      after: () => this.afterAnswer(route, live, decision, requests, primary, fallback),
    };
  }

  /** Everything that must not delay the answer. Never throws. */
  private async afterAnswer(
    route: RouteTarget,
    live: LiveRoute,
    decision: RoutingDecision,
    requests: UpstreamRequests,
    primary: CallResult,
    fallback: CallResult | undefined,
  ): Promise<void> {
    try {
      const config = live.config;
      let observation: Observation;
      if (fallback) {
        // The module (primary) failed and the monolith answered: that answer is the comparison's other side.
        const comparison = live.comparator.compare(toSide(primary), toSide(fallback));
        observation = observationFrom(decision, { comparison, primaryMs: primary.ms, shadowMs: fallback.ms });
        this.count(route.name, comparison.outcome);
      } else if (decision.shadow) {
        observation = await this.shadow(route, live, decision, requests, primary);
      } else {
        observation = observationFrom(decision, { primaryFailed: isFailure(primary), primaryMs: primary.ms });
      }
      live.stats.record(observation, decision.segment);

      const served = fallback ?? primary;
      if (config.noise.enabled && served.kind === 'response' && served.status < 500 && this.random() < config.noise.sampleRate) {
        await this.sampleNoise(route, live, requests, fallback ? 'monolith' : decision.primary, served);
      }
    } catch (error) {
      this.deps.logger.error({ err: error, route: route.name }, 'shadow bookkeeping failed');
    }
  }

  private async shadow(
    route: RouteTarget,
    live: LiveRoute,
    decision: RoutingDecision,
    requests: UpstreamRequests,
    primary: CallResult,
  ): Promise<Observation> {
    const skipped = (): Observation => {
      this.count(route.name, 'skipped');
      return {
        outcome: 'skipped',
        primaryMs: primary.ms,
        ...(decision.primary === 'module' ? { module: { side: 'primary' as const, failed: isFailure(primary) } } : {}),
      };
    };
    // An answer too big to keep is not compared, and its shadow is not worth making.
    if (primary.kind === 'response' && primary.body.length > this.deps.shadowMaxBodyBytes) return skipped();
    if (!this.acquire()) return skipped();
    let shadow: CallResult;
    try {
      const other: Upstream = decision.primary === 'monolith' ? 'module' : 'monolith';
      shadow = await this.callSide(route, live, requests, other, true, live.config.timeouts.shadowMs, this.deps.shadowMaxBodyBytes);
    } finally {
      this.release();
    }
    this.deps.metrics.latency.observe({ route: route.name, side: 'shadow' }, shadow.ms / 1000);
    const comparison: ComparisonResult =
      shadow.kind === 'failed' && shadow.failure === 'too_large'
        ? { outcome: 'error', reason: 'too_large', detail: shadow.detail, diffs: [], omittedDiffs: 0 }
        : live.comparator.compare(toSide(primary), toSide(shadow));
    this.count(route.name, comparison.outcome);
    if (comparison.outcome !== 'match') this.sampleDiff(route.name, decision, requests.requestId, comparison, primary, shadow);
    return observationFrom(decision, { comparison, primaryMs: primary.ms, shadowMs: shadow.ms });
  }

  /** A second call to the upstream that answered (as a dry run), so the learner sees what differs between identical calls. */
  private async sampleNoise(route: RouteTarget, live: LiveRoute, requests: UpstreamRequests, side: Upstream, first: CallResult): Promise<void> {
    if (!this.acquire()) return;
    try {
      const second = await this.callSide(route, live, requests, side, true, live.config.timeouts.shadowMs, this.deps.shadowMaxBodyBytes);
      this.deps.routes.observeNoise(route.name, toSide(first), toSide(second));
    } finally {
      this.release();
    }
  }

  private callSide(
    route: RouteTarget,
    live: LiveRoute,
    requests: UpstreamRequests,
    side: Upstream,
    shadow: boolean,
    timeoutMs: number,
    maxBodyBytes: number,
  ): Promise<CallResult> {
    const upstream = side === 'monolith' ? 'monolith' : route.module.upstream;
    const client = this.deps.upstreams[upstream];
    const options = {
      method: 'POST' as const,
      path: side === 'monolith' ? route.monolithPath : route.module.path,
      headers: requests.headers(side, shadow),
      body: requests.body(side),
      timeoutMs,
      maxBodyBytes,
      upstream,
    };
    return this.deps.breakers.call(live.config.name, side, () => client.call(options));
  }

  private sampleDiff(route: string, decision: RoutingDecision, requestId: string, comparison: ComparisonResult, primary: CallResult, shadow: CallResult): void {
    this.deps.diffs.offer({
      route,
      segment: decision.segment,
      at: new Date(),
      requestId,
      replica: this.deps.replica,
      outcome: comparison.outcome as 'mismatch' | 'error' | 'timeout',
      reason: [comparison.reason, comparison.detail].filter(Boolean).join(': ') || undefined,
      primaryUpstream: decision.primary,
      primaryStatus: primary.kind === 'response' ? primary.status : undefined,
      shadowStatus: shadow.kind === 'response' ? shadow.status : undefined,
      diffs: comparison.diffs,
      omittedDiffs: comparison.omittedDiffs,
    });
  }

  private count(route: string, outcome: string): void {
    this.deps.metrics.shadowRequests.inc({ route, outcome });
  }

  private acquire(): boolean {
    const granted = this.deps.slots.tryAcquire();
    if (granted) this.deps.metrics.shadowInFlight.set(this.deps.slots.used);
    return granted;
  }

  private release(): void {
    this.deps.slots.release();
    this.deps.metrics.shadowInFlight.set(this.deps.slots.used);
  }
}

/** The request bodies and headers for each side, built once and only when needed. */
class UpstreamRequests {
  private monolithBody: string | undefined;
  private moduleBody: string | undefined;
  readonly requestId: string;

  constructor(
    private readonly route: RouteTarget,
    private readonly call: IncomingCall<unknown>,
    private readonly migrated: MigratedToken,
  ) {
    this.requestId = call.requestId;
  }

  body(side: Upstream): string {
    if (side === 'monolith') return (this.monolithBody ??= JSON.stringify(this.call.rawBody));
    if (this.moduleBody === undefined) {
      const raw = this.call.rawBody as Record<string, unknown>;
      // The token migration: the module gets the cart id, never the monolith's signed token.
      const token = this.migrated.ok ? this.migrated.token : undefined;
      this.moduleBody = JSON.stringify(token === undefined || raw['cartToken'] === undefined ? raw : { ...raw, cartToken: token });
    }
    return this.moduleBody;
  }

  headers(side: Upstream, shadow: boolean): Record<string, string> {
    const headers: Record<string, string> = { 'content-type': 'application/json', accept: 'application/json', 'x-request-id': this.requestId };
    for (const name of FORWARDED_HEADERS) {
      const value = header(this.call.headers, name);
      if (value !== undefined) headers[name] = value;
    }
    if (side === 'module' && this.route.needsIdempotencyKey && headers['idempotency-key'] === undefined) {
      headers['idempotency-key'] = `gw-${this.requestId}`;
    }
    if (shadow) headers[SHADOW_HEADER] = '1';
    return headers;
  }
}

function header(headers: IncomingHttpHeaders, name: string): string | undefined {
  const value = headers[name];
  const first = Array.isArray(value) ? value[0] : value;
  return first === undefined || first === '' ? undefined : first;
}

/** What the comparison sees of a call: a 5xx or a failed call is a failed side. */
export function toSide(result: CallResult): ResponseSide {
  if (result.kind === 'failed') return { failure: result.failure === 'timeout' ? 'timeout' : 'error', detail: result.failure === 'error' ? result.detail : `${result.failure}: ${result.detail}` };
  if (result.status >= 500) return { failure: 'error', detail: `HTTP ${result.status}` };
  return { status: result.status, body: result.body, contentType: result.contentType };
}

function toAnswer(result: CallResult, upstream: Upstream): Answer {
  if (result.kind === 'response') {
    return { status: result.status, body: result.body, contentType: result.contentType ?? 'application/json', upstream, replayed: result.replayed };
  }
  switch (result.failure) {
    case 'timeout':
      return gatewayError(504, 'UPSTREAM_TIMEOUT', `the ${upstream} did not answer in time`);
    case 'open':
      return gatewayError(503, 'UPSTREAM_UNAVAILABLE', `the ${upstream} is failing; its circuit breaker is open`);
    case 'too_large':
      return gatewayError(502, 'UPSTREAM_ANSWER_TOO_LARGE', `the ${upstream} answered more than the gateway relays`);
    default:
      return gatewayError(502, 'UPSTREAM_UNAVAILABLE', `the ${upstream} could not be reached`);
  }
}

function gatewayError(status: number, code: string, message: string): Answer {
  return { status, body: JSON.stringify(errorBody(code, message)), contentType: 'application/json; charset=utf-8', upstream: 'gateway', replayed: false };
}
