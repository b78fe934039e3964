import { Inject, Injectable } from '@nestjs/common';
import { APP_CONFIG } from '@understudy/config';
import type { PriceQuoteRequest } from '@understudy/contracts';
import { ApiError } from '@understudy/platform';
import type { Config } from '../config';
import { Database } from '../database/database';
import { priceQuote, type QuotedLine } from '../rules';
import { type Buyer, type BuyerRow, buyerFromRow, type LineRow, lineFacts, priceListIds, primaryPriceListId } from './quote-facts';
import { BUYER, LINES } from './quotes.sql';

export interface QuoteResponse {
  currency: string;
  priceListId: string | null;
  lines: QuotedLine[];
  subtotal: string;
  asOf: string | null;
}

/** `POST /v1/quotes`: two statements (the buyer, then the lines), the pure rules in between. */
@Injectable()
export class QuotesService {
  constructor(
    @Inject(APP_CONFIG) private readonly config: Config,
    private readonly database: Database,
  ) {}

  async quote(request: PriceQuoteRequest): Promise<QuoteResponse> {
    let buyer: Buyer | undefined;
    if (request.companyLocationId !== undefined) {
      const [row] = await this.database.query<BuyerRow>(BUYER, [request.companyLocationId]);
      buyer = row ? buyerFromRow(row) : undefined;
      if (!buyer) throw new ApiError(404, 'COMPANY_LOCATION_NOT_FOUND', `company location ${request.companyLocationId} is not known`, { companyLocationId: request.companyLocationId });
    }
    const currency = buyer?.currency ?? this.config.SHOP_CURRENCY;
    if (request.currency !== currency) {
      throw new ApiError(422, 'CURRENCY_MISMATCH', `prices for this buyer are in ${currency}, not ${request.currency}`, { currency });
    }
    const ids = [...new Set(request.lines.map((line) => line.variantId))];
    const rows = await this.database.query<LineRow>(LINES, [ids, priceListIds(buyer)]);
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
