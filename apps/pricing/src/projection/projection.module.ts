import { Module } from '@nestjs/common';
import { DatabaseModule } from '../database/database.module';
import { ProjectionConsumer } from './projection.consumer';
import { ProjectionService } from './projection.service';

/** The Kafka → PostgreSQL projection of base prices and B2B facts. */
@Module({
  imports: [DatabaseModule],
  providers: [ProjectionService, ProjectionConsumer],
  exports: [ProjectionService, ProjectionConsumer],
})
export class ProjectionModule {}
