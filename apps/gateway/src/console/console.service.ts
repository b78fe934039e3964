import { Inject, Injectable, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import { APP_CONFIG } from '@understudy/config';
import { ApiError } from '@understudy/platform';
import { deadLetterTopic } from '@understudy/messaging';
import { LOGGER } from '@understudy/observability';
import { registryKafkaTopics } from '@understudy/shopify';
import type { Logger } from 'pino';
import { AdminService } from '../admin/admin.service';
import type { Config } from '../config';
import { decideNoise, type NoiseVerdict } from '../routes/noise-decisions';
import type { HistoryQuery, NoiseDecision, SyncQuery } from './dto/console.dto';
import { comparedSamples, MatchHistory, type MatchPoint } from './match-history';
import { ReconcilerClient, type ReconcilerRead } from './reconciler-client';

const HISTORY_MS = 15 * 60_000;

/**
 * What the console needs beyond the admin API's route endpoints: each
 * route's match rate over the last 15 minutes (sampled from the fleet report
 * every CONSOLE_HISTORY_INTERVAL_MS, kept in memory on each replica), the
 * reconciler's view of Shopify sync, and learned-noise decisions.
 */
@Injectable()
export class ConsoleService implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly history: MatchHistory;
  private readonly reconciler: ReconcilerClient;
  private timer: NodeJS.Timeout | undefined;
  private sampling = false;

  constructor(
    private readonly admin: AdminService,
    @Inject(APP_CONFIG) private readonly config: Config,
    @Inject(LOGGER) private readonly logger: Logger,
  ) {
    const intervalMs = config.CONSOLE_HISTORY_INTERVAL_MS;
    this.history = new MatchHistory({ keepMs: HISTORY_MS, maxPoints: Math.ceil(HISTORY_MS / intervalMs) + 1 });
    this.reconciler = new ReconcilerClient({ baseUrl: config.RECONCILER_URL, timeoutMs: 1_500, maxBodyBytes: 1024 * 1024 });
  }

  onApplicationBootstrap(): void {
    this.timer = setInterval(() => void this.sample(), this.config.CONSOLE_HISTORY_INTERVAL_MS);
    this.timer.unref();
  }

  onApplicationShutdown(): void {
    clearInterval(this.timer);
  }

  /** One point per route from the fleet report; a tick still running when the next is due is not doubled. */
  async sample(now = Date.now()): Promise<void> {
    if (this.sampling) return;
    this.sampling = true;
    try {
      const { routes } = await this.admin.reportAll('fleet');
      for (const report of routes) {
        const samples = comparedSamples(report.overall.counts);
        this.history.record(report.route, { at: now, matchRate: samples > 0 ? report.overall.matchRate : null, samples, mode: report.step.mode, percent: report.step.percent });
      }
    } catch (error) {
      this.logger.debug({ err: error }, 'console history sample failed');
    } finally {
      this.sampling = false;
    }
  }

  historyOf(query: HistoryQuery): { intervalMs: number; routes: Record<string, MatchPoint[]> } {
    const from = Date.now() - query.minutes * 60_000;
    const names = query.route ? [this.admin.get(query.route).name] : this.admin.list().routes.map((route) => route.name);
    return { intervalMs: this.config.CONSOLE_HISTORY_INTERVAL_MS, routes: Object.fromEntries(names.map((name) => [name, this.history.since(name, from)])) };
  }

  /** The reconciler's latest runs, delivery ratio and dead letters; each part says on its own whether it could be read. */
  async sync(query: SyncQuery) {
    const [runs, delivery, deadLetters] = await Promise.all([
      this.reconciler.get(`v1/runs?limit=${query.runs}`),
      this.reconciler.get(`v1/delivery?hours=${query.hours}`),
      this.deadLetters(),
    ]);
    return { configured: this.reconciler.configured, runs, delivery, deadLetters };
  }

  /** Dead letters per platform topic (`<topic>.dlq`), counted by the reconciler, which lists them. */
  private async deadLetters(): Promise<ReconcilerRead> {
    const topics = registryKafkaTopics().map((topic) => deadLetterTopic(topic));
    const reads = await Promise.all(topics.map((topic) => this.reconciler.get(`v1/dead-letters?topic=${encodeURIComponent(topic)}&limit=1`)));
    const failed = reads.find((read) => !read.available);
    if (failed && !failed.available) return failed;
    return {
      available: true,
      body: { topics: reads.map((read, i) => ({ topic: topics[i], count: read.available ? (read.body as { total?: number }).total ?? 0 : 0 })) },
    };
  }

  /**
   * A person's verdict on a noise path (routes/noise-decisions.ts): `confirm` adds it to the
   * route's stored `comparison.ignore`, so every replica ignores it; `reject` takes it off and
   * records it in `noise.rejected`, so no replica ignores or learns it again. Already decided
   * that way: the route as it is, nothing audited. Rejecting a path that is no candidate: 404.
   */
  async decideNoise(name: string, verdict: NoiseVerdict, decision: NoiseDecision, actor: string) {
    const route = this.admin.get(name);
    const first = decideNoise(route.config, route.learnedIgnore, decision.path, verdict);
    if (first.kind === 'unchanged') return route;
    if (first.kind === 'not-a-candidate') {
      throw new ApiError(404, 'NOISE_CANDIDATE_NOT_FOUND', `${decision.path} is not a noise candidate of ${name}: not learned on this replica, not ignored, not rejected`, {
        learned: route.learnedIgnore,
        ignored: route.config.comparison.ignore ?? [],
      });
    }
    const reason = decision.reason ?? `${verdict === 'confirm' ? 'confirmed' : 'rejected'} learned noise ${decision.path}`;
    return this.admin.apply(name, { expectedVersion: decision.version, actor, action: `noise-${verdict}`, reason }, (current) => {
      // Decided again on the row as stored (locked), so a concurrent change to the lists is kept.
      const decided = decideNoise(current, route.learnedIgnore, decision.path, verdict);
      const change = decided.kind === 'change' ? decided.change : first.change;
      return { ...current, comparison: { ...current.comparison, ignore: change.ignore }, noise: { ...current.noise, rejected: change.rejected } };
    });
  }
}
