import { Module } from '@nestjs/common';
import { DatabaseModule } from '../database/database.module';
import { AvailabilityController } from './availability.controller';
import { AvailabilityService } from './availability.service';

/** `POST /v1/check` and `GET /v1/variants/{variantId}/availability`. */
@Module({ imports: [DatabaseModule], controllers: [AvailabilityController], providers: [AvailabilityService] })
export class AvailabilityModule {}
