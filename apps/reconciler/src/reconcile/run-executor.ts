import { type BulkOperation, BulkOperationError, type BulkQueryRunner, ensureSubscriptions, groupBulkObjects, type ShopifyAdminClient, type WebhookTopic } from '@understudy/shopify';
import type { Logger } from 'pino';
import type { ReconcileDomain, ShopifyFact } from '../domains/domain';
import { classify, classifyExtra, deletionVersion, type DriftCounts, emptyDrift, ModuleIndex, needsCorrection, recordId } from '../domains/diff';
import type { DeliveryStore, ObservedChange } from '../persistence/delivery-store';
import type { RunCheckpoint, RunRecord, RunStore } from '../persistence/run-store';
import type { FactPublisher } from './fact-publisher';
import { InFlight } from './in-flight';
import type { ReconcileMetrics } from './metrics';

export interface ExecutorOptions {
  shop: string;
  /** Re-read this far before the cursor: Shopify's 4-hour retry window plus clock skew. */
  lookbackSeconds: number;
  bulkTimeoutMs: number;
  /** Corrections per publish call. */
  publishBatch: number;
  /** How often a long phase proves the run is alive (another reconciler takes over a silent run). */
  heartbeatMs: number;
  /** ingest's webhook address: subscriptions for the domains' topics must point there (unset: not checked). */
  callbackUrl?: string;
  /** Topics checked besides each domain's own. */
  webhookTopics: readonly WebhookTopic[];
}

export interface ExecutorDeps {
  store: RunStore;
  deliveries: DeliveryStore;
  client: ShopifyAdminClient;
  bulk: BulkQueryRunner;
  publisher: FactPublisher;
  domains: ReadonlyMap<string, ReconcileDomain>;
  metrics: ReconcileMetrics;
  log: Logger;
  options: ExecutorOptions;
}

interface DomainResult {
  drift: DriftCounts;
  published: number;
  skippedNewer: number;
}

/** The bulk operation's `bulk_operations/finish` also needs a subscription, whatever the domains. */
const RECONCILER_TOPICS: readonly WebhookTopic[] = ['bulk_operations/finish'];

export class RunAborted extends Error {}

/**
 * Publishes of a full run awaiting Kafka's acknowledgement at once: the stream
 * is parsed and diffed while earlier batches travel (the publisher sends what
 * queues up meanwhile together). Bounded, so memory stays a few batches.
 */
const PUBLISHES_IN_FLIGHT = 4;

/**
 * Executes one run, domain after domain, checkpointing as it goes so a
 * restarted reconciler resumes it: full runs keep their bulk operation ids,
 * incremental runs their page cursor. Every effect is a fact with a stable
 * event id, applied by the module through its guard, so re-doing a step after
 * a crash changes nothing twice.
 */
export class RunExecutor {
  constructor(private readonly deps: ExecutorDeps) {}

  async execute(initial: RunRecord, signal: AbortSignal): Promise<RunRecord['state']> {
    const { store, log, metrics } = this.deps;
    const run = { ...initial, checkpoint: structuredClone(initial.checkpoint) };
    const costAtStart = this.deps.client.stats();
    const heartbeat = setInterval(() => void store.update(run.id, { cost: this.cost(costAtStart, initial) }).catch(() => undefined), this.deps.options.heartbeatMs);
    heartbeat.unref();
    try {
      if (!run.asOf) {
        run.asOf = new Date().toISOString();
        await store.update(run.id, { asOf: run.asOf });
      }
      await this.checkSubscriptions(run, signal);
      const done = new Set(run.checkpoint.doneDomains ?? []);
      // Only finished domains count: a domain interrupted mid-way is counted again from its start.
      const totals: DomainResult = run.checkpoint.totals ?? { drift: emptyDrift(), published: 0, skippedNewer: 0 };
      for (const name of run.domains) {
        if (done.has(name)) continue;
        const domain = this.deps.domains.get(name);
        if (!domain) throw new Error(`unknown domain ${name}`);
        const result = run.mode === 'full' ? await this.full(run, domain, totals, signal) : await this.incremental(run, domain, totals, signal);
        for (const kind of Object.keys(result.drift) as Array<keyof DriftCounts>) {
          totals.drift[kind] += result.drift[kind];
          metrics.drift.inc({ domain: name, kind }, result.drift[kind]);
        }
        totals.published += result.published;
        totals.skippedNewer += result.skippedNewer;
        run.checkpoint.doneDomains = [...done.add(name)];
        run.checkpoint.totals = totals;
        await store.update(run.id, { ...totals, checkpoint: run.checkpoint, cost: this.cost(costAtStart, initial) });
      }
      await store.update(run.id, { progress: { phase: 'done', done: 1, total: 1 }, cost: this.cost(costAtStart, initial) });
      await store.finish(run.id, 'succeeded');
      metrics.runs.inc({ mode: run.mode, state: 'succeeded' });
      log.info({ runId: run.id, mode: run.mode, dryRun: run.dryRun, ...totals }, 'reconcile run succeeded');
      return 'succeeded';
    } catch (error) {
      if (signal.aborted) {
        // Shutting down: the run stays `running` and is resumed once its heartbeat goes stale.
        log.info({ runId: run.id }, 'reconcile run interrupted by shutdown; it will be resumed');
        throw new RunAborted('aborted');
      }
      const message = error instanceof Error ? error.message : String(error);
      await store.update(run.id, { cost: this.cost(costAtStart, initial) }).catch(() => undefined);
      await store.finish(run.id, 'failed', message);
      metrics.runs.inc({ mode: run.mode, state: 'failed' });
      log.error({ runId: run.id, err: error }, 'reconcile run failed');
      return 'failed';
    } finally {
      clearInterval(heartbeat);
    }
  }

  private cost(atStart: ReturnType<ShopifyAdminClient['stats']>, initial: RunRecord) {
    const now = this.deps.client.stats();
    return { points: initial.cost.points + now.costPoints - atStart.costPoints, throttled: initial.cost.throttled + now.throttled - atStart.throttled };
  }

  private async checkSubscriptions(run: RunRecord, signal: AbortSignal): Promise<void> {
    const uri = this.deps.options.callbackUrl;
    if (!uri) return;
    await this.deps.store.update(run.id, { progress: { phase: 'subscriptions', done: 0, total: null } });
    const topics = [...new Set([...this.deps.options.webhookTopics, ...run.domains.flatMap((name) => this.deps.domains.get(name)?.webhookTopics ?? []), ...RECONCILER_TOPICS])];
    const plan = await ensureSubscriptions(this.deps.client, topics, uri, { create: !run.dryRun, signal });
    for (const topic of plan.created) this.deps.metrics.restored.inc({ topic });
    if (plan.created.length > 0 || plan.missing.length > 0) {
      this.deps.log.warn({ runId: run.id, restored: plan.created, missing: plan.missing, elsewhere: plan.elsewhere }, 'webhook subscriptions were missing');
    }
    const subscriptions = { expected: topics.length, present: plan.kept.length, restored: plan.created.length };
    run.subscriptions = subscriptions;
    await this.deps.store.update(run.id, { subscriptions });
  }

  /** A full run of one domain: bulk snapshot(s) against the module's whole export. */
  private async full(run: RunRecord, domain: ReconcileDomain, totals: DomainResult, signal: AbortSignal): Promise<DomainResult> {
    const { store, bulk } = this.deps;
    const result: DomainResult = { drift: emptyDrift(), published: 0, skippedNewer: 0 };
    const checkpoint: RunCheckpoint = run.checkpoint;
    // Start (or find again) every bulk operation first: Shopify works on them while we read the module.
    const ids = new Map<string, string>();
    for (const query of Object.keys(domain.bulkQueries)) {
      const slot = `${domain.name}/${query}`;
      let id = checkpoint.bulk?.[slot];
      if (!id) {
        id = await bulk.start(domain.bulkQueries[query]!, { signal });
        checkpoint.bulk = { ...checkpoint.bulk, [slot]: id };
        await store.update(run.id, { checkpoint });
      }
      ids.set(query, id);
    }
    await store.update(run.id, { progress: { phase: `${domain.name}: reading the module`, done: 0, total: null } });
    const index = new ModuleIndex();
    for await (const record of domain.moduleState(signal)) index.add(record);

    let done = 0;
    let pending: ShopifyFact[] = [];
    let asOf: string | undefined;
    /** The earliest operation's createdAt: what every snapshot of this domain was true at or after. */
    let snapshotAsOf: string | undefined;
    // Batches wait for Kafka's acknowledgement while the stream is read on; every one is acknowledged before the domain is done.
    const publishing = new InFlight(PUBLISHES_IN_FLIGHT);
    const flush = async (version = asOf!) => {
      if (pending.length === 0) return;
      const batch = pending;
      pending = [];
      if (run.dryRun) return;
      result.published += batch.length;
      await publishing.submit(() => this.publish(run.id, version, batch));
    };
    for (const [query, firstId] of ids) {
      let id = firstId;
      for (let attempt = 0; ; attempt++) {
        const operation = await this.completedOperation(run, domain, query, id, signal);
        const createdAt = operation.createdAt;
        asOf = createdAt;
        snapshotAsOf = earliest(createdAt, snapshotAsOf);
        const total = Number(operation.rootObjectCount);
        let started = false;
        try {
          for await (const object of groupBulkObjects(bulk.lines(operation, { signal }))) {
            started = true;
            for (const fact of domain.factsFromBulk(query, object, createdAt)) {
              const verdict = classify(fact, index.take(fact));
              if (verdict === 'newer') result.skippedNewer++;
              else if (verdict !== 'in_sync') result.drift[verdict]++;
              if (needsCorrection(verdict)) pending.push(fact);
            }
            if (pending.length >= this.deps.options.publishBatch) await flush();
            if (++done % 5_000 === 0) {
              await store.update(run.id, { progress: { phase: `${domain.name}: ${query}`, done, total }, ...this.running(totals, result) });
            }
          }
          await flush();
          break;
        } catch (error) {
          await publishing.settle();
          // The result's URL expired (a reconciler down for longer than Shopify keeps it): run the query again, once.
          if (started || attempt > 0 || !(error instanceof BulkOperationError) || signal.aborted) throw error;
          this.deps.log.warn({ runId: run.id, operation: id, reason: error.message }, 'bulk result could not be downloaded; running the query again');
          id = await this.restartBulk(run, domain, query, signal);
        }
      }
    }
    if (domain.pagedFacts) {
      await store.update(run.id, { progress: { phase: `${domain.name}: paged reads`, done, total: null }, ...this.running(totals, result) });
      // What a paged read finds was true at or after the run's start: that is its facts' as-of time.
      asOf = run.asOf!;
      snapshotAsOf = earliest(asOf, snapshotAsOf);
      for await (const facts of domain.pagedFacts({ client: this.deps.client, asOf, signal })) {
        for (const fact of facts) {
          const verdict = classify(fact, index.take(fact));
          if (verdict === 'newer') result.skippedNewer++;
          else if (verdict !== 'in_sync') result.drift[verdict]++;
          if (needsCorrection(verdict)) pending.push(fact);
        }
        done += facts.length;
        if (pending.length >= this.deps.options.publishBatch) await flush();
      }
      await flush();
    }
    if (snapshotAsOf !== undefined) await this.sweepExtras(domain, index, snapshotAsOf, result, flush, () => pending);
    await publishing.drain();
    await this.markSnapshot(run, domain, snapshotAsOf ?? run.asOf!);
    if (!run.dryRun) await store.advanceCursor(domain.name, earliest(run.asOf!, asOf), true);
    return result;
  }

  /**
   * The module's rows no snapshot mentioned: `extra` unless a webhook wrote them
   * after the snapshots began (`newer`, left alone). Each extra gets the domain's
   * deletion, versioned by the earliest snapshot's as-of time, which the
   * module's guard applies only to a row older than that.
   */
  private async sweepExtras(
    domain: ReconcileDomain,
    index: ModuleIndex,
    snapshotAsOf: string,
    result: DomainResult,
    flush: (version: string) => Promise<void>,
    pending: () => ShopifyFact[],
  ): Promise<void> {
    const version = deletionVersion(snapshotAsOf);
    for (const record of index.remaining()) {
      if (classifyExtra(record, snapshotAsOf) === 'newer') {
        result.skippedNewer++;
        continue;
      }
      result.drift.extra++;
      const deletion = domain.deletionFact?.(record, version);
      if (!deletion) continue;
      pending().push(deletion);
      if (pending().length >= this.deps.options.publishBatch) await flush(snapshotAsOf);
    }
    await flush(snapshotAsOf);
  }

  /** Publishes facts whose envelope's triggered-at is `asOf`, counted by registry topic. */
  private async publish(runId: string, asOf: string, facts: readonly ShopifyFact[]): Promise<void> {
    await this.deps.publisher.publish(runId, asOf, facts);
    for (const fact of facts) this.deps.metrics.published.inc({ topic: fact.topic });
  }

  /**
   * Waits for a bulk operation (polling, or woken by `bulk_operations/finish`).
   * One that failed, was cancelled or expired is run again, once. A COMPLETED
   * operation with a null url matched nothing: there is no file to read.
   */
  private async completedOperation(run: RunRecord, domain: ReconcileDomain, query: string, id: string, signal: AbortSignal): Promise<BulkOperation> {
    const { bulk, store, options } = this.deps;
    for (let attempt = 0; ; attempt++) {
      await store.update(run.id, { progress: { phase: `${domain.name}: waiting for bulk ${query}`, done: 0, total: null } });
      try {
        return await bulk.waitFor(id, { signal, pollMinMs: 200, pollMaxMs: 2_000, timeoutMs: options.bulkTimeoutMs });
      } catch (error) {
        const ended = error instanceof BulkOperationError && error.operation && ['FAILED', 'CANCELED', 'EXPIRED'].includes(error.operation.status);
        if (!ended || attempt > 0 || signal.aborted) throw error;
        this.deps.log.warn({ runId: run.id, operation: id, status: error.operation!.status }, 'bulk operation did not complete; running it again');
      }
      id = await this.restartBulk(run, domain, query, signal);
    }
  }

  private async restartBulk(run: RunRecord, domain: ReconcileDomain, query: string, signal: AbortSignal): Promise<string> {
    const id = await this.deps.bulk.start(domain.bulkQueries[query]!, { signal });
    run.checkpoint.bulk = { ...run.checkpoint.bulk, [`${domain.name}/${query}`]: id };
    await this.deps.store.update(run.id, { checkpoint: run.checkpoint });
    return id;
  }

  /** An incremental run of one domain: Shopify's changes since the cursor (minus the lookback), page by page. */
  private async incremental(run: RunRecord, domain: ReconcileDomain, totals: DomainResult, signal: AbortSignal): Promise<DomainResult> {
    const { store, deliveries, options } = this.deps;
    const result: DomainResult = { drift: emptyDrift(), published: 0, skippedNewer: 0 };
    const asOf = run.asOf!;
    let position = run.checkpoint.incremental?.[domain.name];
    if (!position) {
      const { since } = await store.cursor(domain.name);
      const from = (since ?? new Date(asOf)).getTime() - options.lookbackSeconds * 1000;
      position = { since: new Date(from).toISOString(), after: null };
      run.checkpoint.incremental = { ...run.checkpoint.incremental, [domain.name]: position };
      await store.update(run.id, { checkpoint: run.checkpoint });
    }
    const sinceMs = Date.parse(position.since);
    const deliveryKinds = new Set(domain.deliveryKinds);
    let done = 0;
    for await (const page of domain.changedSince({ client: this.deps.client, since: new Date(position.since), after: position.after, asOf, signal })) {
      const held = new Map((await domain.moduleRecordsFor(page.facts, signal)).map((record) => [recordId(record), record]));
      const corrections: ShopifyFact[] = [];
      const observed: ObservedChange[] = [];
      for (const fact of page.facts) {
        const verdict = classify(fact, held.get(recordId(fact)));
        if (verdict === 'newer') result.skippedNewer++;
        else if (verdict !== 'in_sync') result.drift[verdict]++;
        if (needsCorrection(verdict)) corrections.push(fact);
        if (deliveryKinds.has(fact.kind) && Date.parse(fact.updatedAt) >= sinceMs) {
          observed.push({ key: fact.key, updatedAt: fact.updatedAt, via: needsCorrection(verdict) ? 'reconciler' : 'webhook' });
        }
      }
      if (!run.dryRun) {
        for (let i = 0; i < corrections.length; i += options.publishBatch) await this.publish(run.id, asOf, corrections.slice(i, i + options.publishBatch));
        result.published += corrections.length;
        await deliveries.record(options.shop, domain.name, observed);
      }
      done += page.facts.length;
      position = { since: position.since, after: page.endCursor };
      run.checkpoint.incremental = { ...run.checkpoint.incremental, [domain.name]: position };
      await store.update(run.id, { checkpoint: run.checkpoint, progress: { phase: `${domain.name}: changes since ${position.since}`, done, total: null }, ...this.running(totals, result) });
    }
    await this.markSnapshot(run, domain, asOf);
    if (!run.dryRun) await store.advanceCursor(domain.name, asOf, false);
    return result;
  }

  /** After every fact of the run is acknowledged: the domain's end mark as of what the run read (not for dry runs). */
  private async markSnapshot(run: RunRecord, domain: ReconcileDomain, asOf: string): Promise<void> {
    if (run.dryRun || !domain.snapshotTopic) return;
    const partitions = await this.deps.publisher.markSnapshot(run.id, domain.snapshotTopic, asOf);
    this.deps.log.info({ runId: run.id, domain: domain.name, asOf, partitions }, 'snapshot confirmed on every partition');
  }

  /** Totals so far, including the domain in progress, for progress reports while a run is in flight. */
  private running(totals: DomainResult, current: DomainResult) {
    const drift = emptyDrift();
    for (const kind of Object.keys(drift) as Array<keyof DriftCounts>) drift[kind] = totals.drift[kind] + current.drift[kind];
    return { drift, published: totals.published + current.published, skippedNewer: totals.skippedNewer + current.skippedNewer };
  }
}

function earliest(a: string, b: string | undefined): string {
  return b === undefined || Date.parse(a) <= Date.parse(b) ? a : b;
}
