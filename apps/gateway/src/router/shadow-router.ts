import type { ComparisonResult } from '@understudy/comparison';
import type { Logger } from 'pino';
import type { GatewayMetrics } from '../gateway-metrics';
import type { LiveRoute, LiveRoutes } from '../routes/live-routes';
import { decide, type RequestContext, type RoutingDecision, type Upstream } from '../routes/bucketing';
import { type Observation, observationFrom } from '../stats/observation';
import type { DiffRecorder } from '../persistence/diff-recorder';
import type { Breakers } from '../upstream/breakers';
import { type CallResult, isFailure } from '../upstream/upstream-client';
import type { CallRole, Upstreams } from '../upstream/upstreams';
import type { CheckoutRoute, RouteTarget } from '../routes/checkout-routes';
import type { ShadowSlots } from './shadow-slots';
import type { CartTokenMigration } from './token-migration';
import { type Answer, gatewayError, mayHaveReached, toAnswer, toSide, writeNotRetried } from './answers';
import { header, type IncomingCall, UpstreamRequests } from './upstream-requests';

export interface RouterDeps {
  readonly routes: LiveRoutes;
  readonly upstreams: Pick<Upstreams, 'client'>;
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

  /**
   * `primaryTimeoutMs` replaces the route's primary timeout for the upstream
   * calls (the idempotency hold gives a keyed write longer, answering the
   * client itself at the route's timeout). `reached`: whether the primary or
   * fallback call may have been seen by an upstream. `resend`: for a write the
   * module may have applied without answering, the same call to the module
   * again (same Idempotency-Key), which the hold uses to learn the outcome.
   */
  async serve<B>(route: CheckoutRoute<B>, call: IncomingCall<B>, options: { primaryTimeoutMs?: number } = {}): Promise<{ answer: Answer; after: () => Promise<void>; reached: boolean; resend?: () => Promise<{ answer: Answer; after: () => Promise<void>; reached: boolean }> }> {
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
        return { answer, after: async () => undefined, reached: false };
      }
      // The module never sees a token that failed verification: the monolith answers (and rejects it), nobody is compared.
      decision = { ...decision, primary: 'monolith', shadow: false, fallbackToMonolith: false };
    }
    const requests = new UpstreamRequests(route, call, migrated);
    const primaryMs = options.primaryTimeoutMs ?? config.timeouts.primaryMs;

    let primary: CallResult;
    let fallback: CallResult | undefined;
    let answer: Answer | undefined;
    if (decision.primary === 'monolith') {
      primary = await this.callSide(route, live, requests, 'monolith', false, primaryMs, this.deps.primaryMaxBodyBytes);
    } else {
      primary = await this.callSide(route, live, requests, 'module', false, primaryMs, this.deps.primaryMaxBodyBytes);
      if (isFailure(primary) && decision.fallbackToMonolith) {
        if (route.isWrite && mayHaveReached(primary)) {
          // The module may have committed the write: doing it again on the monolith would apply it twice (both systems holding stock).
          answer = writeNotRetried(primary);
        } else {
          fallback = await this.callSide(route, live, requests, 'monolith', false, primaryMs, this.deps.primaryMaxBodyBytes);
          this.deps.metrics.fallbacks.inc({ route: route.name, reason: primary.kind === 'failed' ? primary.failure : 'status_5xx' });
        }
      }
    }
    const served = fallback ?? primary;
    const answeredBy: Upstream = fallback ? 'monolith' : decision.primary;
    // A write the module may hold without having answered: the module deduplicates on the forwarded Idempotency-Key,
    // so asking it again with the same key (never the monolith) learns what happened without applying it twice.
    const resend =
      route.isWrite && !fallback && decision.primary === 'module' && primary.kind === 'failed' && mayHaveReached(primary)
        ? async () => {
            const again = await this.callSide(route, live, requests, 'module', false, primaryMs, this.deps.primaryMaxBodyBytes);
            return { answer: toAnswer(again, 'module'), reached: mayHaveReached(again), after: async () => undefined };
          }
        : undefined;
    // What the client waited for: the failed module call too, when the monolith answered in its place.
    this.deps.metrics.latency.observe({ route: route.name, side: 'primary' }, (fallback ? primary.ms + fallback.ms : primary.ms) / 1000);
    return {
      answer: answer ?? toAnswer(served, answeredBy),
      reached: mayHaveReached(primary) || (fallback !== undefined && mayHaveReached(fallback)),
      ...(resend ? { resend } : {}),
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
    const role: CallRole = shadow ? 'shadow' : 'primary';
    const client = this.deps.upstreams.client(upstream, role);
    const options = {
      method: 'POST' as const,
      path: side === 'monolith' ? route.monolithPath : route.module.path,
      headers: requests.headers(side, shadow),
      body: requests.body(side),
      timeoutMs,
      maxBodyBytes,
      upstream,
    };
    return this.deps.breakers.call(live.config.name, side, role, () => client.call(options));
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
