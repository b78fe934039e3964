import type { ServiceDefinition } from '@understudy/platform';
import type { Config } from './config';
import { migrations } from './migrations';
import { ReconcileModule } from './runs/reconcile.module';

/** The reconciler as main.ts runs it; integration tests build the same thing with their own config. */
export function reconcilerService(config: Config): ServiceDefinition<Config> {
  return {
    service: 'reconciler',
    title: 'Understudy reconciler',
    description: "Keeps the modules equal to Shopify's truth: backfill, scheduled and on-demand drift repair, lost-subscription recovery, the end-to-end delivery ratio.",
    config,
    dependencies: {
      postgres: { url: config.DATABASE_URL, migrations },
      kafka: { brokers: config.KAFKA_BROKERS },
    },
    imports: [ReconcileModule],
  };
}
