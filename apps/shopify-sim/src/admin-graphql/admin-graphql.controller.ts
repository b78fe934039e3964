import { Controller, Headers, HttpCode, Inject, Param, Post, Req, Res } from '@nestjs/common';
import { ApiBody, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { SIMULATOR } from '../simulator.module';
import type { Simulator } from '../simulator';

/** Shopify's Admin GraphQL endpoint. Answers in Shopify's shapes, not Understudy's error envelope. */
@ApiTags('Admin GraphQL (Shopify)')
@Controller('admin/api')
export class AdminGraphqlController {
  constructor(@Inject(SIMULATOR) private readonly simulator: Simulator) {}

  @Post(':version/graphql.json')
  @HttpCode(200)
  @ApiOperation({
    summary: 'Admin GraphQL, as Shopify serves it',
    description:
      'Needs X-Shopify-Access-Token. Answers 401 without a known token, 404 for an unsupported version, and 200 with ' +
      '`errors` for invalid queries, THROTTLED and MAX_COST_EXCEEDED — exactly as Shopify does.',
  })
  @ApiBody({ schema: { type: 'object', required: ['query'], properties: { query: { type: 'string' }, variables: { type: 'object' }, operationName: { type: 'string' } } } })
  async graphql(
    @Param('version') version: string,
    @Headers('x-shopify-access-token') accessToken: string | undefined,
    @Req() request: FastifyRequest,
    @Res() reply: FastifyReply,
  ): Promise<void> {
    const response = await this.simulator.pipeline.handle({
      version,
      accessToken,
      body: request.body,
      origin: `${request.protocol}://${request.headers.host ?? 'localhost'}`,
    });
    await reply.status(response.status).headers(response.headers).header('content-type', 'application/json; charset=utf-8').send(response.body);
  }
}
