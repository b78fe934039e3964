import { Module } from '@nestjs/common';
import { DeadLettersController } from '../dead-letters/dead-letters.controller';
import { DeliveryController } from '../delivery/delivery.controller';
import { RunsController } from './runs.controller';
import { ShopifyModule } from '../shopify/shopify.module';
import { ReconcilerService } from './reconciler.service';

/** Runs (`/v1/runs`), the delivery ratio (`/v1/delivery`), dead letters (`/v1/dead-letters`) and the scheduler behind them. */
@Module({ imports: [ShopifyModule], controllers: [RunsController, DeliveryController, DeadLettersController], providers: [ReconcilerService], exports: [ReconcilerService] })
export class ReconcileModule {}
