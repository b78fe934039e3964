import { exportQuerySchema, INVENTORY_EXPORT_KINDS } from '@understudy/contracts';
import { exportController } from '@understudy/platform';
import { ExportService } from './export.service';

/** `GET /v1/export/{levels|items|products}` (libs/platform's exportController). */
export const ExportController = exportController({
  kinds: INVENTORY_EXPORT_KINDS,
  query: exportQuerySchema,
  rows: 'inventory-export.ts',
  badRequest: 'VALIDATION_FAILED: unknown kind, bad after/limit/ids.',
  source: ExportService,
});
