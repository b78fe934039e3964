import { Inject, Injectable } from '@nestjs/common';
import { APP_CONFIG } from '@understudy/config';
import { type PriceQuoteRequest, parseShopifyId } from '@understudy/contracts';
import { ApiError } from '@understudy/platform';
import type { Config } from '../config';
import { ReadModelService } from '../read-model/read-model.service';
import { priceQuote, type QuotedLine } from '../rules';
import { type Buyer, buyerFromRow, lineFacts, priceListIds, primaryPriceListId } from './quote-facts';

export interface QuoteResponse {
  currency: string;
  priceListId: string | null;
  lines: QuotedLine[];
  subtotal: string;
  asOf: string | null;
}

/**
 * `POST /v1/quotes`: the buyer, then the lines, from the in-process read model
 * (no I/O: the rows BUYER and LINES in quotes.sql.ts would give), the pure rules in between.
 */
@Injectable()
export class QuotesService {
  constructor(
    @Inject(APP_CONFIG) private readonly config: Config,
    private readonly readModel: ReadModelService,
  ) {}

  quote(request: PriceQuoteRequest): QuoteResponse {
    const model = this.readModel.model();
    let buyer: Buyer | undefined;
    if (request.companyLocationId !== undefined) {
      const id = parseShopifyId(request.companyLocationId, 'CompanyLocation');
      const row = id === undefined ? undefined : model.buyer(id);
      buyer = row ? buyerFromRow(row) : undefined;
      if (!buyer) throw new ApiError(404, 'COMPANY_LOCATION_NOT_FOUND', `company location ${request.companyLocationId} is not known`, { companyLocationId: request.companyLocationId });
    }
    const currency = buyer?.currency ?? this.config.SHOP_CURRENCY;
    if (request.currency !== currency) {
      throw new ApiError(422, 'CURRENCY_MISMATCH', `prices for this buyer are in ${currency}, not ${request.currency}`, { currency });
    }
    const ids = [...new Set(request.lines.map((line) => line.variantId))];
    const rows = model.lines(ids, priceListIds(buyer));
    const byVariant = new Map(rows.map((row) => [row.variant_id, row]));
    const unknown = ids.filter((id) => !byVariant.has(id));
    if (unknown.length > 0) {
      throw new ApiError(404, 'VARIANT_NOT_FOUND', unknown.length === 1 ? `variant ${unknown[0]} is not known to pricing` : `${unknown.length} variants are not known to pricing`, { variantIds: unknown });
    }
    const outcome = priceQuote(
      currency,
      request.lines.map((line) => lineFacts(line, byVariant.get(line.variantId)!, buyer)),
    );
    if (!outcome.ok) {
      const [first] = outcome.violations;
      throw new ApiError(422, 'QUANTITY_RULE_VIOLATION', `variant ${first!.variantId}: quantity ${first!.quantity} breaks the ${first!.breach} of its quantity rule`, { violations: outcome.violations });
    }
    return { currency, priceListId: primaryPriceListId(buyer), lines: outcome.lines, subtotal: outcome.subtotal, asOf: buyer?.asOf ?? null };
  }
}
