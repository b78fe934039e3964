import { Inject, Injectable } from '@nestjs/common';
import { ApiError, validationFailed, zodIssues } from '@understudy/platform';
import { ZodError } from 'zod';
import { nextStep, previousStep } from '../guards/evaluate-guards';
import { RouteControl } from '../persistence/route-control';
import { type ChangeRequest, RouteNotFoundError, RouteStore, VersionConflictError } from '../persistence/route-store';
import { RouteReporter } from '../reports/route-reporter';
import { type LiveRoute, LiveRoutes } from '../routes/live-routes';
import { type RouteConfig, type RouteConfigInput, currentStep, withStep } from '../routes/route-config';
import { type ListQuery, PATCHABLE_FIELDS, type ReportQuery, type RouteAction, routePatchEnvelopeSchema } from './dto/admin.dto';

@Injectable()
export class AdminService {
  constructor(
    @Inject(LiveRoutes) private readonly routes: LiveRoutes,
    @Inject(RouteControl) private readonly control: RouteControl,
    @Inject(RouteStore) private readonly store: RouteStore,
    @Inject(RouteReporter) private readonly reporter: RouteReporter,
  ) {}

  list() {
    return { routes: this.routes.all().map((live) => this.reporter.view(live)) };
  }

  get(name: string) {
    return this.reporter.view(this.live(name));
  }

  async update(name: string, body: unknown, actor: string) {
    this.live(name);
    const envelope = routePatchEnvelopeSchema.safeParse(body);
    if (!envelope.success) throw validationFailed(zodIssues(envelope.error));
    const { version, reason, ...patch } = envelope.data;
    const unknown = Object.keys(patch).filter((key) => !PATCHABLE_FIELDS.has(key));
    if (unknown.length > 0) {
      throw validationFailed(unknown.map((key) => ({ path: key, message: 'not a route field (name and version cannot be changed)' })));
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
    if (live.config.frozen === frozen && body.version === undefined) return this.reporter.view(live);
    return this.change(name, { expectedVersion: body.version, actor, action: frozen ? 'freeze' : 'unfreeze', reason: body.reason }, (current) => ({ ...current, frozen }));
  }

  /**
   * A change the route endpoints above do not name (the console's noise verdicts): stored,
   * versioned, audited with `request.action` and spread to every replica like them.
   */
  apply(name: string, request: ChangeRequest, mutate: (current: RouteConfig) => RouteConfigInput) {
    this.live(name);
    return this.change(name, request, mutate);
  }

  /** The route's report (see RouteReporter.report): the fleet's figures by default. */
  report(name: string, scope: ReportQuery['scope'] = 'fleet') {
    return this.reporter.report(this.live(name), scope);
  }

  async reportAll(scope: ReportQuery['scope'] = 'fleet') {
    return { routes: await Promise.all(this.routes.names().map((name) => this.report(name, scope))) };
  }

  async diffs(query: ListQuery) {
    return { diffs: await this.fromStore(() => this.store.diffs(query.route, query.limit)) };
  }

  async audit(query: ListQuery) {
    return { entries: await this.fromStore(() => this.store.audit(query.route, query.limit)) };
  }

  private live(name: string): LiveRoute {
    const live = this.routes.get(name);
    if (!live) throw new ApiError(404, 'ROUTE_NOT_FOUND', `no route ${name}`, { routes: this.routes.names() });
    return live;
  }

  private async change(name: string, request: ChangeRequest, mutate: (current: RouteConfig) => RouteConfigInput) {
    try {
      await this.control.change(name, request, mutate);
      return this.reporter.view(this.live(name));
    } catch (error) {
      if (error instanceof ApiError) throw error;
      if (error instanceof VersionConflictError) {
        throw new ApiError(409, 'VERSION_CONFLICT', `${name} changed since version ${error.expected}; read it again`, { currentVersion: error.current.version });
      }
      if (error instanceof RouteNotFoundError) throw new ApiError(404, 'ROUTE_NOT_FOUND', error.message);
      if (error instanceof ZodError) throw validationFailed(zodIssues(error));
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
