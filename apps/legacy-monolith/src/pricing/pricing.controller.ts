import { Controller, HttpCode, Post } from '@nestjs/common';
import { ApiBadRequestResponse, ApiNotFoundResponse, ApiOkResponse, ApiOperation, ApiTags, ApiUnprocessableEntityResponse } from '@nestjs/swagger';
import { type PriceQuoteRequest, priceQuoteRequestSchema } from '@understudy/contracts';
import { ValidBody } from '@understudy/platform';
import { PricingService } from './pricing.service';

@ApiTags('pricing')
@Controller('pricing')
export class PricingController {
  constructor(private readonly pricing: PricingService) {}

  @Post('quote')
  @HttpCode(200)
  @ApiOperation({ summary: 'Price a cart for a buyer. Money is answered as JSON numbers computed in floating point (legacy).' })
  @ApiOkResponse({ description: '`{currency, priceListId, lines: [{variantId: number, quantity, unitPrice: number, lineTotal: number, source}], subtotal: number, generatedAt}`' })
  @ApiBadRequestResponse({ description: 'VALIDATION_FAILED' })
  @ApiNotFoundResponse({ description: 'VARIANT_NOT_FOUND or COMPANY_LOCATION_NOT_FOUND' })
  @ApiUnprocessableEntityResponse({ description: "CURRENCY_MISMATCH: the buyer's prices are in another currency" })
  quote(@ValidBody(priceQuoteRequestSchema) request: PriceQuoteRequest) {
    return this.pricing.quote(request);
  }
}
