import { type DynamicModule, Module } from '@nestjs/common';
import { DatabaseModule } from '../database/database.module';
import { FreshnessService } from './freshness.service';
import { SnapshotFreshness } from './snapshot-freshness';

@Module({})
export class FreshnessModule {
  /** The same SnapshotFreshness the service definition's readiness probe reads. */
  static register(freshness: SnapshotFreshness): DynamicModule {
    return { module: FreshnessModule, imports: [DatabaseModule], providers: [{ provide: SnapshotFreshness, useValue: freshness }, FreshnessService] };
  }
}
