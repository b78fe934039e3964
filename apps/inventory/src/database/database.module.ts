import { Module } from '@nestjs/common';
import { Database } from './database';

/** Inventory's SQL access over the platform's DataSource (DATA_SOURCE is provided globally). */
@Module({ providers: [Database], exports: [Database] })
export class DatabaseModule {}
