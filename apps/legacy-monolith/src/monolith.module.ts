import { Module } from '@nestjs/common';
import { CartsController } from './carts/carts.controller';
import { CatalogSyncService } from './catalog/catalog-sync.service';
import { SyncController } from './catalog/sync.controller';
import { InventoryController } from './inventory/inventory.controller';
import { InventoryService } from './inventory/inventory.service';
import { PricingController } from './pricing/pricing.controller';
import { PricingService } from './pricing/pricing.service';

/** The whole monolith: small on purpose, one module. */
@Module({
  controllers: [CartsController, InventoryController, PricingController, SyncController],
  providers: [CatalogSyncService, InventoryService, PricingService],
})
export class MonolithModule {}
