import { Controller, HttpCode, Inject, Post, Req, Res } from '@nestjs/common';
import { ApiBadRequestResponse, ApiGatewayTimeoutResponse, ApiHeader, ApiOkResponse, ApiOperation, ApiResponse, ApiServiceUnavailableResponse, ApiTags } from '@nestjs/swagger';
import {
  type InventoryCheckRequest,
  inventoryCheckRequestSchema,
  inventoryCheckResponseSchema,
  type PriceQuoteRequest,
  priceQuoteRequestSchema,
  priceQuoteResponseSchema,
  IDEMPOTENCY_KEY_HEADER,
  type ReservationRequest,
  reservationRequestSchema,
  reservationResponseSchema,
  UPSTREAM_HEADER,
} from '@understudy/contracts';
import { openApiSchema, ValidBody } from '@understudy/platform';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { header } from '../router/upstream-requests';
import { ShadowRouter } from '../router/shadow-router';
import { type CheckoutRoute, INVENTORY_CHECK, INVENTORY_RESERVE, PRICING_QUOTE } from '../routes/checkout-routes';
import { LiveRoutes } from '../routes/live-routes';
import { IdempotencyHold } from '../upstream/idempotency-hold';

const relayed =
  'The answer is the primary upstream’s, relayed unchanged (status and body); `x-understudy-upstream` says which one answered. ' +
  'While a route is on `monolith` or `shadow` that is the monolith, in its legacy format (numeric ids, float money, `generatedAt`).';

@ApiTags('checkout')
@ApiHeader({ name: 'x-shopify-shop-domain', required: false, description: 'Shop, for `shop` segments.' })
@ApiHeader({ name: 'x-customer-tags', required: false, description: 'Comma-separated customer tags, for `customerTag` segments.' })
@ApiBadRequestResponse({ description: 'VALIDATION_FAILED: the body does not match the contract (libs/contracts); the failing fields are listed.' })
@ApiResponse({ status: 502, description: 'UPSTREAM_UNAVAILABLE: the answering upstream could not be reached (and no fallback applied).' })
@ApiServiceUnavailableResponse({ description: "UPSTREAM_UNAVAILABLE: the upstream's circuit breaker is open." })
@ApiGatewayTimeoutResponse({ description: 'UPSTREAM_TIMEOUT: the primary did not answer within the route’s primary timeout.' })
@Controller('v1')
export class CheckoutController {
  constructor(
    @Inject(ShadowRouter) private readonly router: ShadowRouter,
    @Inject(IdempotencyHold) private readonly hold: IdempotencyHold,
    @Inject(LiveRoutes) private readonly routes: LiveRoutes,
  ) {}

  @Post('inventory/check')
  @HttpCode(200)
  @ApiOperation({ summary: INVENTORY_CHECK.summary, description: relayed })
  @ApiOkResponse({ schema: openApiSchema(inventoryCheckResponseSchema) })
  async check(@ValidBody(inventoryCheckRequestSchema) body: InventoryCheckRequest, @Req() request: FastifyRequest, @Res() reply: FastifyReply): Promise<void> {
    await this.forward(INVENTORY_CHECK, body, request, reply);
  }

  @Post('inventory/reservations')
  @ApiOperation({
    summary: INVENTORY_RESERVE.summary,
    description:
      `${relayed} With an Idempotency-Key the gateway sends the write at most once per key (whatever the upstream does with the header) and replays ` +
      'its stored answer to every retry (`idempotent-replayed: true`); without one the write is served unprotected (docs/gateway.md).',
  })
  @ApiHeader({ name: 'Idempotency-Key', required: false, description: 'Up to 255 visible ASCII characters; one per intended write, the same on every retry of it. Forwarded to the upstreams.' })
  @ApiResponse({ status: 201, schema: openApiSchema(reservationResponseSchema), description: 'Reserved.' })
  @ApiResponse({ status: 409, description: 'INSUFFICIENT_INVENTORY; or IDEMPOTENCY_IN_PROGRESS: a request with this key is still being answered (Retry-After).' })
  @ApiResponse({ status: 422, description: 'IDEMPOTENCY_KEY_REUSED: the key was used with a different request.' })
  @ApiResponse({ status: 502, description: 'IDEMPOTENCY_OUTCOME_UNKNOWN: an earlier request with this key may have been applied and its answer never came; it is not sent again.' })
  async reserve(@ValidBody(reservationRequestSchema) body: ReservationRequest, @Req() request: FastifyRequest, @Res() reply: FastifyReply): Promise<void> {
    await this.forward(INVENTORY_RESERVE, body, request, reply);
  }

  @Post('pricing/quote')
  @HttpCode(200)
  @ApiOperation({ summary: PRICING_QUOTE.summary, description: relayed })
  @ApiOkResponse({ schema: openApiSchema(priceQuoteResponseSchema) })
  async quote(@ValidBody(priceQuoteRequestSchema) body: PriceQuoteRequest, @Req() request: FastifyRequest, @Res() reply: FastifyReply): Promise<void> {
    await this.forward(PRICING_QUOTE, body, request, reply);
  }

  private async forward<B>(route: CheckoutRoute<B>, body: B, request: FastifyRequest, reply: FastifyReply): Promise<void> {
    const call = { requestId: String(request.id), rawBody: request.body, body, headers: request.headers };
    const { answer, after } = route.isWrite
      ? await this.hold.serve(route.name, header(request.headers, IDEMPOTENCY_KEY_HEADER), body, this.routes.get(route.name)!.config.timeouts.primaryMs, (primaryTimeoutMs) =>
          this.router.serve(route, call, { primaryTimeoutMs }),
        )
      : await this.router.serve(route, call);
    void reply.status(answer.status).header('content-type', answer.contentType).header(UPSTREAM_HEADER, answer.upstream).header('x-request-id', String(request.id));
    if (answer.replayed) void reply.header('idempotent-replayed', 'true');
    if (answer.retryAfterSeconds !== undefined) void reply.header('retry-after', String(answer.retryAfterSeconds));
    await reply.send(answer.body);
    // The answer is written; only now does the shadow start.
    setImmediate(() => void after());
  }
}
