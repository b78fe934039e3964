import { createService, type RunningService } from '@understudy/platform';
import { AdminGraphqlModule } from './admin-graphql/admin-graphql.module';
import type { Config } from './config';
import { ControlModule } from './control/control.module';
import type { Simulator } from './simulator';
import { SIMULATOR, SimulatorModule } from './simulator.module';

export const SERVICE = {
  service: 'shopify-sim',
  title: 'Understudy Shopify simulator',
  description:
    'A faithful local Shopify: Admin GraphQL (cost-throttled) at /admin/api/{version}/graphql.json, bulk operations, ' +
    'webhook delivery with HMAC, retries, duplicates and reordering; control API under /_sim.',
} as const;

export const IMPORTS = [SimulatorModule, AdminGraphqlModule, ControlModule];

/** Bulk results and truth dumps can be large; GraphQL bodies and control calls are not. */
export const BODY_LIMIT = 10 * 1024 * 1024;

/** The simulator as a service, for tests and tools that run it in-process. */
export async function createSimulatorService(config: Config): Promise<RunningService & { simulator: Simulator }> {
  const running = await createService({ ...SERVICE, config, dependencies: {}, imports: IMPORTS, bodyLimit: BODY_LIMIT });
  return { ...running, simulator: running.app.get<Simulator>(SIMULATOR) };
}
