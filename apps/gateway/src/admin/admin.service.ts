import { Inject, Injectable } from '@nestjs/common';
import { ApiError } from '@understudy/platform';
import { ZodError } from 'zod';
import { GATEWAY_RUNTIME, type GatewayRuntime } from '../gateway-runtime';
import type { LiveRoute } from '../routes/live-routes';
import { evaluateGuards, nextStep, previousStep } from '../guards/evaluate-guards';
import { summarizeRouteStats } from '../stats/summary';
import { type RouteConfig, type RouteConfigInput, currentStep, compareSteps, withStep } from '../routes/route-config';
import { type ChangeRequest, RouteNotFoundError, VersionConflictError } from '../persistence/route-store';
import type { ReplicaStats } from '../persistence/fleet-stats';
import { type ListQuery, PATCHABLE_FIELDS, type ReportQuery, type RouteAction, routePatchEnvelopeSchema } from './dto/admin.dto';

/** What the admin API shows of a route on this replica. */
export function routeView(live: LiveRoute, runtime: GatewayRuntime) {
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
    breakers: { monolith: runtime.breakers.state(config.name, 'monolith'), module: runtime.breakers.state(config.name, 'module') },
    replica: runtime.config.GATEWAY_REPLICA_ID,
    config,
  };
}

@Injectable()
export class AdminService {
  constructor(@Inject(GATEWAY_RUNTIME) private readonly runtime: GatewayRuntime) {}

  list() {
    return { routes: this.runtime.routes.all().map((live) => routeView(live, this.runtime)) };
  }

  get(name: string) {
    return routeView(this.live(name), this.runtime);
  }

  async update(name: string, body: unknown, actor: string) {
    this.live(name);
    const envelope = routePatchEnvelopeSchema.safeParse(body);
    if (!envelope.success) throw validationError(envelope.error);
    const { version, reason, ...patch } = envelope.data;
    const unknown = Object.keys(patch).filter((key) => !PATCHABLE_FIELDS.has(key));
    if (unknown.length > 0) {
      throw new ApiError(400, 'VALIDATION_FAILED', 'request is invalid', { issues: unknown.map((key) => ({ path: key, message: 'not a route field (name and version cannot be changed)' })) });
    }
    return this.change(name, { expectedVersion: version, actor, action: 'update', reason }, (current) => deepMerge(current, patch) as RouteConfigInput);
  }

  promote(name: string, body: RouteAction, actor: string) {
    this.live(name);
    return this.change(name, { expectedVersion: body.version, actor, action: 'promote', reason: body.reason }, (current) => {
      const next = nextStep(current.ramp, currentStep(current));
      if (!next) throw new ApiError(409, 'NO_NEXT_STEP', `${name} is on the last step of its ramp`);
      return withStep(current, next);
    });
  }

  rollback(name: string, body: RouteAction, actor: string) {
    this.live(name);
    return this.change(name, { expectedVersion: body.version, actor, action: 'rollback', reason: body.reason }, (current) => {
      const from = currentStep(current);
      if (from.mode === 'monolith') throw new ApiError(409, 'ALREADY_ON_MONOLITH', `${name} is already served by the monolith`);
      return withStep(current, previousStep(current.ramp, from));
    });
  }

  async freeze(name: string, frozen: boolean, body: RouteAction, actor: string) {
    const live = this.live(name);
    if (live.config.frozen === frozen && body.version === undefined) return routeView(live, this.runtime);
    return this.change(name, { expectedVersion: body.version, actor, action: frozen ? 'freeze' : 'unfreeze', reason: body.reason }, (current) => ({ ...current, frozen }));
  }

  /**
   * The route's figures over its promotion window: the whole fleet's by
   * default (this replica's own plus every other replica's published ones, on
   * the same configuration version), or this replica's alone. Guard, breakers,
   * noise and shadow slots are this replica's: each replica's guards act on
   * what it served.
   */
  async report(name: string, scope: ReportQuery['scope'] = 'fleet') {
    const live = this.live(name);
    const { runtime } = this;
    const self = runtime.config.GATEWAY_REPLICA_ID;
    const parts: ReplicaStats[] = [{ replica: self, publishedAt: Date.now(), version: live.config.version, stats: live.stats.export() }];
    const leftOut: Array<{ replica: string; reason: string }> = [];
    let fleetUnavailable: string | undefined;
    if (scope === 'fleet') {
      try {
        const others = await runtime.fleet.others(name);
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
    const guard = evaluateGuards(live.config, live.stats.guardStats(), Date.now());
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
      shadowSlots: { used: runtime.slots.used, capacity: runtime.slots.capacity },
      noise: live.learner ? { ...live.learner.stats(), learnedIgnore: live.learnedIgnore } : null,
      breakers: { monolith: runtime.breakers.state(name, 'monolith'), module: runtime.breakers.state(name, 'module') },
      overall,
      segments,
    };
  }

  async reportAll(scope: ReportQuery['scope'] = 'fleet') {
    return { routes: await Promise.all(this.runtime.routes.names().map((name) => this.report(name, scope))) };
  }

  async diffs(query: ListQuery) {
    return { diffs: await this.fromStore(() => this.runtime.store.diffs(query.route, query.limit)) };
  }

  async audit(query: ListQuery) {
    return { entries: await this.fromStore(() => this.runtime.store.audit(query.route, query.limit)) };
  }

  private live(name: string): LiveRoute {
    const live = this.runtime.routes.get(name);
    if (!live) throw new ApiError(404, 'ROUTE_NOT_FOUND', `no route ${name}`, { routes: this.runtime.routes.names() });
    return live;
  }

  private async change(name: string, request: ChangeRequest, mutate: (current: RouteConfig) => RouteConfigInput) {
    try {
      await this.runtime.control.change(name, request, mutate);
      return routeView(this.live(name), this.runtime);
    } catch (error) {
      if (error instanceof ApiError) throw error;
      if (error instanceof VersionConflictError) {
        this.runtime.routes.apply(error.current, 'postgres');
        throw new ApiError(409, 'VERSION_CONFLICT', `${name} changed since version ${error.expected}; read it again`, { currentVersion: error.current.version });
      }
      if (error instanceof RouteNotFoundError) throw new ApiError(404, 'ROUTE_NOT_FOUND', error.message);
      if (error instanceof ZodError) throw validationError(error);
      throw storeUnavailable(error);
    }
  }

  private async fromStore<T>(read: () => Promise<T>): Promise<T> {
    try {
      return await read();
    } catch (error) {
      throw storeUnavailable(error);
    }
  }
}

function samplesOf(part: ReplicaStats): number {
  const { match, mismatch, error, timeout } = part.stats.overall.counts;
  return match + mismatch + error + timeout;
}

function validationError(error: ZodError): ApiError {
  return new ApiError(400, 'VALIDATION_FAILED', 'request is invalid', {
    issues: error.issues.map((issue) => ({ path: issue.path.join('.'), message: issue.message })),
  });
}

function storeUnavailable(error: unknown): ApiError {
  return new ApiError(503, 'CONFIG_STORE_UNAVAILABLE', 'the route store (PostgreSQL) is unreachable; routes keep their last configuration', {
    cause: error instanceof Error ? error.message : String(error),
  });
}

/** Objects merge key by key; arrays, values and null replace. */
export function deepMerge(base: unknown, patch: unknown): unknown {
  if (!isPlainObject(base) || !isPlainObject(patch)) return patch;
  const merged: Record<string, unknown> = { ...base };
  for (const [key, value] of Object.entries(patch)) {
    if (value === undefined || key === '__proto__' || key === 'constructor' || key === 'prototype') continue;
    merged[key] = Object.hasOwn(base, key) ? deepMerge(base[key], value) : value;
  }
  return merged;
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
