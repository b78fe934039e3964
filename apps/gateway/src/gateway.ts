import { nonCritical } from '@understudy/health';
import type { ServiceDefinition } from '@understudy/platform';
import type { Config } from './config';
import { GatewayModule } from './gateway.module';
import { defaultRoutes } from './routes/checkout-routes';
import { LiveRoutes } from './routes/live-routes';
import { migrations } from './migrations';

/** The gateway as main.ts runs it; integration tests build the same thing with their own config. */
export function gatewayService(config: Config): ServiceDefinition<Config> & { routes: LiveRoutes } {
  const routes = new LiveRoutes(defaultRoutes(), { now: Date.now });
  return {
    service: 'gateway',
    title: 'Understudy gateway',
    description:
      'Checkout-facing routes served by the monolith or a module according to each route’s mode, with shadow calls compared off the hot path, ' +
      'guards that promote and roll back, and the admin API (Bearer ADMIN_TOKEN) to steer it.',
    config,
    routes,
    dependencies: {
      postgres: { url: config.DATABASE_URL, migrations },
      redis: { url: config.REDIS_URL },
    },
    // Requests are served from memory: once a configuration is loaded, PostgreSQL and Redis can go away
    // without taking the gateway out of rotation (it keeps its last-known routes).
    readiness: ({ postgres, redis }) => [
      nonCritical(postgres!),
      nonCritical(redis!),
      {
        name: 'route-config',
        check: async () => {
          if (routes.loaded === undefined) throw new Error('no route configuration loaded yet (PostgreSQL and the Redis snapshot both unreachable)');
          return { loadedFrom: routes.loaded, routes: routes.names().length };
        },
      },
    ],
    imports: [GatewayModule.register(routes)],
  };
}
