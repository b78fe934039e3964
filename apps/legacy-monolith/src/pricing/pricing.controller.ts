import { Controller } from '@nestjs/common';
import { ApiTags, ApiUnprocessableEntityResponse } from '@nestjs/swagger';
import { type PriceQuoteRequest, priceQuoteRequestSchema } from '@understudy/contracts';
import { ValidBody } from '@understudy/platform';
import { PostAnswer } from '../common/legacy';
import { PricingService } from './pricing.service';

@ApiTags('pricing')
@Controller('pricing')
export class PricingController {
  constructor(private readonly pricing: PricingService) {}

  @PostAnswer('quote', {
    summary: 'Price a cart for a buyer. Money is answered as JSON numbers computed in floating point (legacy).',
    ok: '`{currency, priceListId, lines: [{variantId: number, quantity, unitPrice: number, lineTotal: number, source}], subtotal: number, generatedAt}`',
    badRequest: 'VALIDATION_FAILED',
    notFound: 'VARIANT_NOT_FOUND or COMPANY_LOCATION_NOT_FOUND',
  })
  @ApiUnprocessableEntityResponse({ description: "CURRENCY_MISMATCH: the buyer's prices are in another currency" })
  quote(@ValidBody(priceQuoteRequestSchema) request: PriceQuoteRequest) {
    return this.pricing.quote(request);
  }
}
