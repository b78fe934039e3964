import type { LiveRoutes } from '../routes/live-routes';
import type { RouteConfig, RouteConfigInput } from '../routes/route-config';
import type { ChangeRequest, RouteStore } from './route-store';
import type { RouteSync } from './route-sync';

/**
 * The one way a route changes, by hand or by guard: stored with its audit
 * entry and NOTIFY in one transaction, applied on this replica at once, and
 * pushed through Redis to the others.
 */
export class RouteControl {
  constructor(
    private readonly store: RouteStore,
    private readonly routes: LiveRoutes,
    private readonly sync: RouteSync,
  ) {}

  async change(name: string, request: ChangeRequest, mutate: (current: RouteConfig) => RouteConfigInput): Promise<RouteConfig> {
    const next = await this.store.change(name, request, mutate);
    this.routes.apply(next, 'postgres');
    void this.sync.publish(next);
    return next;
  }
}
