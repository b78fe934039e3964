import { evaluateGuards } from '../guards/evaluate-guards';
import type { FleetStats, ReplicaStats } from '../persistence/fleet-stats';
import type { ShadowSlots } from '../router/shadow-slots';
import type { LiveRoute } from '../routes/live-routes';
import { compareSteps, currentStep } from '../routes/route-config';
import { summarizeRouteStats } from '../stats/summary';
import type { Breakers } from '../upstream/breakers';
import type { CallRole } from '../upstream/upstreams';

/** `fleet`: every replica's published figures summed; `replica`: the answering replica's alone. */
export type ReportScope = 'fleet' | 'replica';

export interface RouteReporterDeps {
  readonly fleet: Pick<FleetStats, 'others'>;
  readonly breakers: Pick<Breakers, 'state'>;
  readonly slots: Pick<ShadowSlots, 'used' | 'capacity'>;
  /** This replica's name (GATEWAY_REPLICA_ID). */
  readonly replica: string;
  readonly now: () => number;
}

/**
 * What the admin API (and the console built on it) shows of a route: its
 * view on this replica, and its report. Framework-free: the admin service
 * finds the route and maps errors; this builds the answers.
 */
export class RouteReporter {
  constructor(private readonly deps: RouteReporterDeps) {}

  /** The route as this replica serves it. */
  view(live: LiveRoute) {
    const { config } = live;
    const step = currentStep(config);
    return {
      name: config.name,
      version: config.version,
      mode: config.mode,
      shadowPercent: config.shadowPercent,
      step,
      /** Index of the current step in the ramp; -1 on monolith or off the ramp. */
      rampPosition: config.ramp.findIndex((s) => compareSteps(s, step) === 0),
      frozen: config.frozen,
      source: live.source,
      appliedAt: new Date(live.appliedAt).toISOString(),
      pendingRollback: live.pendingRollback ? { ...live.pendingRollback, at: new Date(live.pendingRollback.at).toISOString() } : null,
      learnedIgnore: live.learnedIgnore,
      breakers: this.breakers(config.name, 'primary'),
      shadowBreakers: this.breakers(config.name, 'shadow'),
      replica: this.deps.replica,
      config,
    };
  }

  /**
   * The route's figures over its promotion window: the whole fleet's by
   * default (this replica's own plus every other replica's published ones, on
   * the same configuration version), or this replica's alone. Guard, breakers,
   * noise and shadow slots are this replica's: each replica's guards act on
   * what it served.
   */
  async report(live: LiveRoute, scope: ReportScope = 'fleet') {
    const { fleet, slots, replica: self, now } = this.deps;
    const name = live.config.name;
    const parts: ReplicaStats[] = [{ replica: self, publishedAt: now(), version: live.config.version, stats: live.stats.export() }];
    const leftOut: Array<{ replica: string; reason: string }> = [];
    let fleetUnavailable: string | undefined;
    if (scope === 'fleet') {
      try {
        const others = await fleet.others(name);
        leftOut.push(...others.leftOut);
        for (const entry of others.fresh) {
          if (entry.version === live.config.version) parts.push(entry);
          else leftOut.push({ replica: entry.replica, reason: `on configuration version ${entry.version}, not ${live.config.version}` });
        }
      } catch (error) {
        fleetUnavailable = `other replicas' figures are unavailable (${error instanceof Error ? error.message : String(error)}); these are ${self}'s alone`;
      }
    }
    const { overall, segments } = summarizeRouteStats(parts.map((part) => part.stats));
    const guard = evaluateGuards(live.config, live.stats.guardStats(), now());
    return {
      route: name,
      scope: fleetUnavailable ? 'replica' : scope,
      ...(fleetUnavailable ? { fleetUnavailable } : {}),
      replica: self,
      replicas: parts.map((part) => ({ replica: part.replica, publishedAt: new Date(part.publishedAt).toISOString(), samples: samplesOf(part) })),
      ...(leftOut.length ? { leftOut } : {}),
      version: live.config.version,
      step: currentStep(live.config),
      frozen: live.config.frozen,
      guard: { action: guard.action, reason: guard.reason, ...(guard.toStep ? { toStep: guard.toStep } : {}) },
      shadowSlots: { used: slots.used, capacity: slots.capacity },
      noise: live.learner ? { ...live.learner.stats(), learnedIgnore: live.learnedIgnore } : null,
      breakers: this.breakers(name, 'primary'),
      shadowBreakers: this.breakers(name, 'shadow'),
      overall,
      segments,
    };
  }

  /** `primary`: the breakers client answers and fallbacks go through; `shadow`: those of shadow and noise calls. */
  private breakers(route: string, role: CallRole) {
    return { monolith: this.deps.breakers.state(route, 'monolith', role), module: this.deps.breakers.state(route, 'module', role) };
  }
}

function samplesOf(part: ReplicaStats): number {
  const { match, mismatch, error, timeout } = part.stats.overall.counts;
  return match + mismatch + error + timeout;
}
