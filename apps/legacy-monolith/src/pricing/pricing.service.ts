import { Injectable } from '@nestjs/common';
import type { PriceQuoteRequest } from '@understudy/contracts';
import { ApiError } from '@understudy/platform';
import { generatedAt, LegacyService, requireDatabase, variantNotFound } from '../common/legacy';
import { type FixedPriceTerms, type PriceListTerms, quoteLine, subtotal } from './price-math';

const COMPANY_LOCATION = `
  SELECT c.currency, p.price_list_id::text AS price_list_id, p.currency AS price_list_currency, p.adjustment_type, p.adjustment_value
    FROM lm_company_locations c LEFT JOIN lm_price_lists p ON p.price_list_id = c.price_list_id
   WHERE c.company_location_id = $1`;

const PRICES = `
  SELECT v.variant_id::text AS variant_id, v.price, f.price AS fixed_price, f.breaks
    FROM lm_variants v LEFT JOIN lm_fixed_prices f ON f.variant_id = v.variant_id AND f.price_list_id = $2
   WHERE v.variant_id = ANY($1::bigint[])`;

interface PriceRow {
  variant_id: string;
  price: number;
  fixed_price: number | null;
  breaks: Array<{ minimumQuantity: number; price: number }> | null;
}

@Injectable()
export class PricingService extends LegacyService {
  async quote(request: PriceQuoteRequest) {
    const database = requireDatabase(this.dataSource);
    let priceList: PriceListTerms | undefined;
    let currency: string = this.config.SHOP_CURRENCY;
    if (request.companyLocationId !== undefined) {
      const id = /^(?:gid:\/\/shopify\/CompanyLocation\/)?(\d{1,20})$/.exec(request.companyLocationId)?.[1];
      const [location] = id
        ? ((await database.query(COMPANY_LOCATION, [id])) as Array<{
            currency: string;
            price_list_id: string | null;
            price_list_currency: string | null;
            adjustment_type: string | null;
            adjustment_value: number | null;
          }>)
        : [];
      if (!location) throw new ApiError(404, 'COMPANY_LOCATION_NOT_FOUND', `company location ${request.companyLocationId} is not known`);
      currency = location.price_list_currency ?? location.currency;
      if (location.price_list_id) {
        priceList = { priceListId: location.price_list_id, currency, adjustmentType: location.adjustment_type, adjustmentValue: location.adjustment_value };
      }
    }
    if (request.currency !== currency) {
      throw new ApiError(422, 'CURRENCY_MISMATCH', `prices for this buyer are in ${currency}, not ${request.currency}`, { currency });
    }
    const ids = [...new Set(request.lines.map((line) => line.variantId))];
    const rows = (await database.query(PRICES, [ids, priceList?.priceListId ?? null])) as PriceRow[];
    const byVariant = new Map(rows.map((row) => [row.variant_id, row]));
    const unknown = ids.filter((id) => !byVariant.has(id));
    if (unknown.length > 0) throw variantNotFound(unknown);
    const lines = request.lines.map((line) => {
      const row = byVariant.get(line.variantId)!;
      const fixed: FixedPriceTerms | undefined = row.fixed_price === null ? undefined : { price: row.fixed_price, breaks: row.breaks ?? [] };
      return quoteLine(line.variantId, line.quantity, row.price, priceList, fixed);
    });
    return { currency, priceListId: priceList?.priceListId ?? null, lines, subtotal: subtotal(lines), generatedAt: generatedAt() };
  }
}
