import { projectionDependencies, type ServiceDefinition } from '@understudy/platform';
import type { Config } from './config';
import { ExportModule } from './export/export.module';
import { FreshnessModule } from './freshness/freshness.module';
import { SnapshotFreshness } from './freshness/snapshot-freshness';
import { migrations } from './migrations';
import { ProjectionModule } from './projection/projection.module';
import { QuotesModule } from './quotes/quotes.module';

/** The pricing service as main.ts runs it; integration tests build the same thing with their own config. */
export function pricingService(config: Config): ServiceDefinition<Config> {
  const freshness = new SnapshotFreshness(config.SNAPSHOT_MAX_AGE_SECONDS);
  return {
    service: 'pricing',
    title: 'Understudy pricing',
    description: "B2B quotes by Shopify's catalog and price-list rules in exact decimals, from a projection of base prices (webhooks) and B2B facts (reconciler).",
    config,
    dependencies: projectionDependencies(config, migrations),
    // Quotes come from the in-process read model (its own critical `read-model` entry until it has loaded), so neither
    // PostgreSQL nor Kafka is critical: while they are away quotes go on from memory, and `read-model-lag` says how stale.
    readiness: ({ postgres, kafka }) => [{ ...postgres!, critical: false }, { ...kafka!, critical: false }, freshness.probe()],
    imports: [ProjectionModule, QuotesModule, ExportModule, FreshnessModule.register(freshness)],
  };
}
