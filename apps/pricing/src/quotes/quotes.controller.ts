import { Controller, HttpCode, Post, Res } from '@nestjs/common';
import { ApiBadRequestResponse, ApiNotFoundResponse, ApiOkResponse, ApiOperation, ApiServiceUnavailableResponse, ApiTags, ApiUnprocessableEntityResponse } from '@nestjs/swagger';
import { type PriceQuoteRequest, priceQuoteRequestSchema, priceQuoteResponseSchema } from '@understudy/contracts';
import { openApiSchema, ValidBody } from '@understudy/platform';
import type { FastifyReply } from 'fastify';
import { READ_MODEL_RETRY_AFTER_SECONDS, ReadModelLoadingError } from '../read-model/read-model.service';
import { QuotesService } from './quotes.service';

@ApiTags('quotes')
@ApiServiceUnavailableResponse({ description: 'READ_MODEL_LOADING: this replica is still loading its read model; retry after Retry-After seconds.' })
@Controller('v1')
export class QuotesController {
  constructor(private readonly quotes: QuotesService) {}

  @Post('quotes')
  @HttpCode(200)
  @ApiOperation({
    summary: "Price a cart for a buyer by Shopify's B2B rules, in exact decimal strings.",
    description:
      "Only ACTIVE catalogs count; a fixed price beats the list's percentage; quantity breaks apply on fixed prices; the lowest price across the buyer's catalogs wins (ties: lowest catalog id). Without a company location: the variant's own price in the shop's currency. `asOf` is the oldest snapshot the buyer's data comes from. See docs/pricing.md.",
  })
  @ApiOkResponse({ schema: openApiSchema(priceQuoteResponseSchema) })
  @ApiBadRequestResponse({ description: 'VALIDATION_FAILED: bad ids, quantities, currency or too many lines.' })
  @ApiNotFoundResponse({ description: 'VARIANT_NOT_FOUND or COMPANY_LOCATION_NOT_FOUND' })
  @ApiUnprocessableEntityResponse({ description: "CURRENCY_MISMATCH (the buyer pays in another currency) or QUANTITY_RULE_VIOLATION (details.violations names each line's rule and breach)." })
  quote(@ValidBody(priceQuoteRequestSchema) request: PriceQuoteRequest, @Res({ passthrough: true }) reply: FastifyReply) {
    try {
      return this.quotes.quote(request);
    } catch (error) {
      // The error filter answers with the body; the header rides on the same reply.
      if (error instanceof ReadModelLoadingError) void reply.header('retry-after', String(READ_MODEL_RETRY_AFTER_SECONDS));
      throw error;
    }
  }
}
