import { Module } from '@nestjs/common';
import { Database } from './database';
import { DatabaseErrorsFilter } from './errors';

/** Inventory's SQL access over the platform's DataSource (DATA_SOURCE is provided globally). */
@Module({ providers: [Database, DatabaseErrorsFilter], exports: [Database, DatabaseErrorsFilter] })
export class DatabaseModule {}
