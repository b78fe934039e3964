import { Controller, Get, Param, Res } from '@nestjs/common';
import { ApiBadRequestResponse, ApiOkResponse, ApiOperation, ApiParam, ApiServiceUnavailableResponse, ApiTags } from '@nestjs/swagger';
import { EXPORT_NEXT_HEADER, INVENTORY_EXPORT_KINDS, type ExportQuery, exportQuerySchema, type InventoryExportKind } from '@understudy/contracts';
import { parseParam, sendExportPage, ValidQuery } from '@understudy/platform';
import type { FastifyReply } from 'fastify';
import { z } from 'zod';
import { ExportService } from './export.service';

const kindSchema = z.enum(INVENTORY_EXPORT_KINDS, { message: `must be one of ${INVENTORY_EXPORT_KINDS.join(', ')}` });

@ApiTags('export')
@ApiServiceUnavailableResponse({ description: 'DATABASE_UNAVAILABLE: storage unreachable; retry.' })
@Controller('v1/export')
export class ExportController {
  constructor(private readonly exports: ExportService) {}

  @Get(':kind')
  @ApiOperation({
    summary: 'What the projection holds, as NDJSON in key order, one page at a time (for the reconciler).',
    description: `Rows follow libs/contracts (inventory-export.ts). The \`${EXPORT_NEXT_HEADER}\` response header carries the next page's \`after\`; it is absent on the last page.`,
  })
  @ApiParam({ name: 'kind', enum: INVENTORY_EXPORT_KINDS })
  @ApiOkResponse({ description: 'application/x-ndjson, one row a line.' })
  @ApiBadRequestResponse({ description: 'VALIDATION_FAILED: unknown kind, bad after/limit/ids.' })
  async export(@Param('kind') kindParam: string, @ValidQuery(exportQuerySchema) query: ExportQuery, @Res() reply: FastifyReply): Promise<void> {
    const kind: InventoryExportKind = parseParam(kindSchema, 'kind', kindParam);
    await sendExportPage(reply, await this.exports.page(kind, query));
  }
}
