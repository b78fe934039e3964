import { Module } from '@nestjs/common';
import { DatabaseModule } from '../database/database.module';
import { ReservationSweeper } from './reservation-sweeper';
import { ReservationsController } from './reservations.controller';
import { ReservationsService } from './reservations.service';

/** `/v1/reservations`: hold, release, commit; the sweeper of expired holds. */
@Module({
  imports: [DatabaseModule],
  controllers: [ReservationsController],
  providers: [ReservationsService, ReservationSweeper],
  exports: [ReservationsService],
})
export class ReservationsModule {}
