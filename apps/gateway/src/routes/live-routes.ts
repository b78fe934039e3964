import { Comparator, type ComparisonSpecInput, NoiseLearner, type ResponseSide, withIgnoredPaths } from '@understudy/comparison';
import { type RouteConfig, currentStep } from './route-config';
import { RouteStats } from '../stats/route-stats';

/** Where a replica's copy of a route came from. `default`: nothing loaded yet, the seeded configuration (monolith mode). */
export type ConfigSource = 'default' | 'postgres' | 'redis' | 'local';

export interface PendingRollback {
  readonly fromVersion: number;
  readonly reason: string;
  readonly at: number;
}

/** One route as this replica serves it: configuration, compiled comparison, stats, noise learner. */
export interface LiveRoute {
  readonly config: RouteConfig;
  readonly comparator: Comparator;
  readonly stats: RouteStats;
  readonly learner: NoiseLearner | undefined;
  /** Paths the noise learner found, merged into the comparison's ignore list on this replica. */
  readonly learnedIgnore: readonly string[];
  readonly source: ConfigSource;
  readonly appliedAt: number;
  /** A rollback this replica applied while it could not store it (PostgreSQL down); retried by the guard loop. */
  readonly pendingRollback: PendingRollback | undefined;
}

export interface LiveRoutesOptions {
  readonly now: () => number;
}

/** Called after a route's configuration changed on this replica. */
export type RouteListener = (route: LiveRoute, previous: LiveRoute | undefined) => void;

export type ApplyResult = 'applied' | 'stale' | 'unknown';

/**
 * The route table a replica serves from: memory only, no database on the
 * request path. A configuration replaces the current one only when its
 * version is newer (notifications can arrive twice, late, or out of order),
 * and the replica keeps whatever it has when PostgreSQL and Redis are gone.
 *
 * Stats follow the routing docs: a new ramp step (or a new comparison spec)
 * starts from empty stats, so guards judge it on its own samples; changed
 * window sizes need new windows.
 */
export class LiveRoutes {
  private readonly routes = new Map<string, LiveRoute>();
  private loadedFrom: ConfigSource | undefined;
  private readonly listeners: RouteListener[] = [];

  constructor(
    defaults: readonly RouteConfig[],
    private readonly options: LiveRoutesOptions,
  ) {
    for (const config of defaults) this.install(config, 'default', undefined, undefined);
  }

  /** Whether a real configuration (PostgreSQL or Redis) has been loaded at least once. */
  get loaded(): ConfigSource | undefined {
    return this.loadedFrom;
  }

  markLoaded(source: Exclude<ConfigSource, 'default' | 'local'>): void {
    this.loadedFrom ??= source;
  }

  /** Calls `listener` for every route now, and after every change. */
  listen(listener: RouteListener): void {
    this.listeners.push(listener);
    for (const route of this.routes.values()) listener(route, undefined);
  }

  names(): string[] {
    return [...this.routes.keys()];
  }

  get(name: string): LiveRoute | undefined {
    return this.routes.get(name);
  }

  all(): LiveRoute[] {
    return [...this.routes.values()];
  }

  apply(config: RouteConfig, source: Exclude<ConfigSource, 'default' | 'local'>): ApplyResult {
    const current = this.routes.get(config.name);
    if (!current) return 'unknown';
    if (current.source !== 'default' && config.version <= current.config.version) return 'stale';
    this.install(config, source, current, undefined);
    return 'applied';
  }

  /** A guard rollback applied on this replica alone (same version) until it can be stored. */
  applyLocalRollback(config: RouteConfig, pending: PendingRollback): void {
    const current = this.routes.get(config.name);
    if (!current) return;
    this.install(config, 'local', current, pending);
  }

  /** Feeds two answers of the primary to the same request to the route's noise learner. Never throws. */
  observeNoise(name: string, first: ResponseSide, second: ResponseSide): void {
    const route = this.routes.get(name);
    if (!route?.learner) return;
    route.learner.observe(first, second);
    const learned = route.learner.noisyPaths();
    if (sameList(learned, route.learnedIgnore)) return;
    this.routes.set(name, { ...route, learnedIgnore: learned, comparator: compile(route.config, learned) });
  }

  private install(config: RouteConfig, source: ConfigSource, previous: LiveRoute | undefined, pending: PendingRollback | undefined): void {
    const before = previous?.config;
    const comparisonChanged = !before || json(before.comparison) !== json(config.comparison);
    // A changed rejection list keeps the learner (and what it learned about other paths); any other noise setting starts it over.
    const noiseChanged = comparisonChanged || !before || json(learnerSettings(before.noise)) !== json(learnerSettings(config.noise));
    const windowsChanged =
      !before ||
      before.guards.promotion.windowSeconds !== config.guards.promotion.windowSeconds ||
      before.guards.rollback.windowSeconds !== config.guards.rollback.windowSeconds;
    const stepChanged = !before || json(currentStep(before)) !== json(currentStep(config));

    const stats = windowsChanged || !previous ? new RouteStats(config.guards, { now: this.options.now }) : previous.stats;
    if (previous && !windowsChanged && (stepChanged || comparisonChanged)) stats.reset();
    const learner = !noiseChanged && previous ? previous.learner : newLearner(config);
    learner?.exclude(config.noise.rejected);
    const learnedIgnore = (!noiseChanged && previous ? previous.learnedIgnore : []).filter((path) => !config.noise.rejected.includes(path));
    const rejectedChanged = !before || !sameList(before.noise.rejected, config.noise.rejected);
    const comparator =
      !comparisonChanged && !rejectedChanged && previous && sameList(learnedIgnore, previous.learnedIgnore) ? previous.comparator : compile(config, learnedIgnore);
    const route: LiveRoute = { config, comparator, stats, learner, learnedIgnore, source, appliedAt: this.options.now(), pendingRollback: pending };
    this.routes.set(config.name, route);
    for (const listener of this.listeners) listener(route, previous);
  }
}

function newLearner(config: RouteConfig): NoiseLearner | undefined {
  if (!config.noise.enabled) return undefined;
  const { minObservations, minDifferences, minRatio, rejected } = config.noise;
  return new NoiseLearner({ spec: config.comparison, minObservations, minDifferences, minRatio, exclude: rejected });
}

function learnerSettings(noise: RouteConfig['noise']): Omit<RouteConfig['noise'], 'rejected'> {
  const { rejected: _rejected, ...settings } = noise;
  return settings;
}

/** The comparison as configured, plus what was learned, minus what a person rejected (a rejection wins over a stored ignore). */
function compile(config: Pick<RouteConfig, 'comparison' | 'noise'>, learned: readonly string[]): Comparator {
  const { rejected } = config.noise;
  const spec: ComparisonSpecInput = rejected.length === 0 ? config.comparison : { ...config.comparison, ignore: (config.comparison.ignore ?? []).filter((path) => !rejected.includes(path)) };
  return Comparator.fromSpec(learned.length === 0 ? spec : withIgnoredPaths(spec, learned));
}

function json(value: unknown): string {
  return JSON.stringify(value);
}

function sameList(a: readonly string[], b: readonly string[]): boolean {
  return a.length === b.length && a.every((item, index) => item === b[index]);
}
