import { Module } from '@nestjs/common';
import { ProjectionConsumer, projectionProviders } from '@understudy/platform';
import { Database } from '../database/database';
import { DatabaseModule } from '../database/database.module';
import { ProjectionService } from './projection.service';

/** The Kafka → PostgreSQL projection of base prices and B2B facts. */
@Module({
  imports: [DatabaseModule],
  providers: projectionProviders(Database, ProjectionService),
  exports: [ProjectionService, ProjectionConsumer],
})
export class ProjectionModule {}
