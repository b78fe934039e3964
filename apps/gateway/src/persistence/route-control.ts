import type { LiveRoutes } from '../routes/live-routes';
import type { RouteConfig, RouteConfigInput } from '../routes/route-config';
import { type ChangeRequest, type RouteStore, VersionConflictError } from './route-store';
import type { RouteSync } from './route-sync';

/**
 * The one way a route changes, by hand or by guard: stored with its audit
 * entry and NOTIFY in one transaction, applied on this replica at once, and
 * pushed through Redis to the others.
 *
 * A version conflict (someone — a person, or another replica's guard — changed
 * the route first) is handled here for every caller: this replica takes the
 * stored configuration at once, and the error is rethrown so the caller can
 * say so (a 409, a `conflict` guard result) without recording anything.
 */
export class RouteControl {
  constructor(
    private readonly store: RouteStore,
    private readonly routes: LiveRoutes,
    private readonly sync: RouteSync,
  ) {}

  async change(name: string, request: ChangeRequest, mutate: (current: RouteConfig) => RouteConfigInput): Promise<RouteConfig> {
    let next: RouteConfig;
    try {
      next = await this.store.change(name, request, mutate);
    } catch (error) {
      if (error instanceof VersionConflictError) this.routes.apply(error.current, 'postgres');
      throw error;
    }
    this.routes.apply(next, 'postgres');
    void this.sync.publish(next);
    return next;
  }
}
