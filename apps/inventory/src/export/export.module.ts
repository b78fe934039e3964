import { Module } from '@nestjs/common';
import { DatabaseModule } from '../database/database.module';
import { ExportController } from './export.controller';
import { ExportService } from './export.service';

/** `GET /v1/export/{levels|items|products}`: the projection, paged NDJSON, for the reconciler's diff. */
@Module({ imports: [DatabaseModule], controllers: [ExportController], providers: [ExportService] })
export class ExportModule {}
