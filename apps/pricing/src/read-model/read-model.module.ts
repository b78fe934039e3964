import { Module } from '@nestjs/common';
import { DatabaseModule } from '../database/database.module';
import { ReadModelService } from './read-model.service';

/** The in-process read model of the projection that quotes read (docs/pricing.md, "The read model"). */
@Module({ imports: [DatabaseModule], providers: [ReadModelService], exports: [ReadModelService] })
export class ReadModelModule {}
