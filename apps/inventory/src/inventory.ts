import { nonCritical } from '@understudy/health';
import { projectionDependencies, type ServiceDefinition } from '@understudy/platform';
import { AvailabilityModule } from './availability/availability.module';
import type { Config } from './config';
import { ExportModule } from './export/export.module';
import { migrations } from './migrations';
import { ProjectionModule } from './projection/projection.module';
import { ReservationsModule } from './reservations/reservations.module';

/** The inventory service as main.ts runs it; integration tests build the same thing with their own config. */
export function inventoryService(config: Config): ServiceDefinition<Config> {
  return {
    service: 'inventory',
    title: 'Understudy inventory',
    description: 'Inventory projection from Kafka, availability checks and reservations that never oversell.',
    config,
    dependencies: projectionDependencies(config, migrations),
    // Readiness is what the HTTP API needs: checks and reservations use PostgreSQL only. A Kafka
    // outage delays the projection, it does not make answers wrong, so Kafka and the consumer
    // (registered by ProjectionConsumer) are reported without failing readiness.
    readiness: ({ postgres, kafka }) => [postgres!, nonCritical(kafka!)],
    imports: [ProjectionModule, AvailabilityModule, ReservationsModule, ExportModule],
  };
}
