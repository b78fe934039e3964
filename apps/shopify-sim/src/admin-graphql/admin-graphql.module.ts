import { Module } from '@nestjs/common';
import { AdminGraphqlController } from './admin-graphql.controller';

/** `POST /admin/api/{version}/graphql.json`: Shopify's Admin GraphQL endpoint. */
@Module({ controllers: [AdminGraphqlController] })
export class AdminGraphqlModule {}
