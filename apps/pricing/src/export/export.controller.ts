import { exportPageQuerySchema, PRICING_EXPORT_KINDS } from '@understudy/contracts';
import { exportController } from '@understudy/platform';
import { ExportService } from './export.service';

/** `GET /v1/export/{kind}` for each of PRICING_EXPORT_KINDS (libs/platform's exportController). */
export const ExportController = exportController({
  kinds: PRICING_EXPORT_KINDS,
  query: exportPageQuerySchema,
  rows: 'pricing-export.ts; tombstones (`deleted: true`) are included',
  badRequest: 'VALIDATION_FAILED: unknown kind, bad after or limit.',
  source: ExportService,
});
