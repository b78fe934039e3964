import { Global, Module } from '@nestjs/common';
import { BulkFinishConsumer } from './bulk-finish.consumer';
import { ShopifyConnection } from './shopify-connection';

/** The Shopify client every read goes through, and the consumer that wakes bulk waits. */
@Global()
@Module({ providers: [ShopifyConnection, BulkFinishConsumer], exports: [ShopifyConnection] })
export class ShopifyModule {}
