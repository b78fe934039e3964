import type { Logger } from 'pino';
import type { GatewayMetrics } from '../gateway-metrics';
import type { LiveRoute, LiveRoutes } from '../routes/live-routes';
import { type GuardDecision, evaluateGuards } from './evaluate-guards';
import { currentStep, withStep } from '../routes/route-config';
import type { RouteControl } from '../persistence/route-control';
import { VersionConflictError } from '../persistence/route-store';

export interface GuardLoopOptions {
  readonly routes: LiveRoutes;
  readonly control: RouteControl;
  readonly metrics: GatewayMetrics;
  readonly logger: Logger;
  readonly intervalMs: number;
  readonly replica: string;
  readonly now: () => number;
}

/**
 * Runs `evaluateGuards` for every route on this replica's stats every
 * `intervalMs` and applies promotions and rollbacks through RouteControl
 * with the version it evaluated (optimistic concurrency): when two replicas
 * decide the same rollback, one stores it and the other gets a version
 * conflict and takes the stored configuration instead — one change, one
 * audit entry. A rollback that cannot be stored (PostgreSQL down) is applied
 * on this replica anyway and stored once PostgreSQL answers again: going
 * back to the safer step never waits for the database.
 */
export class GuardLoop {
  private timer: NodeJS.Timeout | undefined;
  private readonly busy = new Set<string>();

  constructor(private readonly options: GuardLoopOptions) {}

  start(): void {
    this.timer = setInterval(() => this.tick(), this.options.intervalMs);
    this.timer.unref();
  }

  stop(): void {
    clearInterval(this.timer);
  }

  tick(): void {
    const { routes, now } = this.options;
    if (routes.loaded === undefined) return; // never act on the built-in defaults
    for (const live of routes.all()) {
      const name = live.config.name;
      if (this.busy.has(name)) continue;
      if (live.pendingRollback) {
        this.run(name, () => this.storePendingRollback(live));
        continue;
      }
      let decision: GuardDecision;
      try {
        decision = evaluateGuards(live.config, live.stats.guardStats(), now());
      } catch (error) {
        this.options.logger.error({ err: error, route: name }, 'guard evaluation failed');
        continue;
      }
      if (decision.action !== 'hold') this.run(name, () => this.act(live, decision));
    }
  }

  private run(name: string, work: () => Promise<void>): void {
    this.busy.add(name);
    void work().finally(() => this.busy.delete(name));
  }

  private async act(live: LiveRoute, decision: GuardDecision): Promise<void> {
    const { control, metrics, logger, replica, routes } = this.options;
    const name = live.config.name;
    const toStep = decision.toStep!;
    try {
      const next = await control.change(
        name,
        { expectedVersion: live.config.version, actor: `guard:${replica}`, action: decision.action, reason: decision.reason },
        (current) => withStep(current, toStep),
      );
      metrics.guardActions.inc({ route: name, action: decision.action, result: 'applied' });
      logger[decision.action === 'rollback' ? 'warn' : 'info'](
        { route: name, from: decision.fromStep, to: toStep, version: next.version, reason: decision.reason },
        `guard ${decision.action === 'rollback' ? 'rolled back' : 'promoted'} ${name}`,
      );
    } catch (error) {
      if (error instanceof VersionConflictError) {
        // Someone changed the route first (often the other replica's guard, for the same reason); RouteControl took the stored version.
        metrics.guardActions.inc({ route: name, action: decision.action, result: 'conflict' });
        return;
      }
      metrics.guardActions.inc({ route: name, action: decision.action, result: 'failed' });
      if (decision.action !== 'rollback') {
        logger.warn({ err: error, route: name }, 'could not store a promotion; will re-evaluate');
        return;
      }
      routes.applyLocalRollback(withStep(live.config, toStep), { fromVersion: live.config.version, reason: decision.reason, at: this.options.now() });
      logger.error({ err: error, route: name, to: toStep, reason: decision.reason }, 'rollback applied on this replica only: it could not be stored yet');
    }
  }

  private async storePendingRollback(live: LiveRoute): Promise<void> {
    const pending = live.pendingRollback!;
    const { control, replica } = this.options;
    const step = currentStep(live.config);
    try {
      await control.change(
        live.config.name,
        {
          expectedVersion: pending.fromVersion,
          actor: `guard:${replica}`,
          action: 'rollback',
          reason: `${pending.reason} (applied at ${new Date(pending.at).toISOString()} while PostgreSQL was unreachable)`,
        },
        (current) => withStep(current, step),
      );
    } catch {
      // A version conflict: RouteControl took the stored configuration (which clears the local rollback).
      // Otherwise PostgreSQL is still away: keep the local rollback and try again next tick.
    }
  }
}
