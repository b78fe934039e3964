import { PRICING_EXPORTED_ROW_SCHEMAS } from '@understudy/contracts';
import { ExportClient, type ExportClientOptions } from '../export.client';

/** Reads pricing's export (rows in libs/contracts pricing-export.ts), tombstones included. */
export class PricingExportClient extends ExportClient<typeof PRICING_EXPORTED_ROW_SCHEMAS> {
  constructor(baseUrl: string, options: ExportClientOptions) {
    super('pricing', baseUrl, PRICING_EXPORTED_ROW_SCHEMAS, options);
  }
}
