import { Controller, Get, Param, Res } from '@nestjs/common';
import { ApiBadRequestResponse, ApiOkResponse, ApiOperation, ApiParam, ApiServiceUnavailableResponse, ApiTags } from '@nestjs/swagger';
import { EXPORT_NEXT_HEADER, type ExportPageQuery, exportPageQuerySchema, PRICING_EXPORT_KINDS } from '@understudy/contracts';
import { parseParam, sendExportPage, ValidQuery } from '@understudy/platform';
import type { FastifyReply } from 'fastify';
import { z } from 'zod';
import { ExportService } from './export.service';

const kindSchema = z.enum(PRICING_EXPORT_KINDS);

@ApiTags('export')
@ApiServiceUnavailableResponse({ description: 'DATABASE_UNAVAILABLE: storage unreachable; retry.' })
@Controller('v1/export')
export class ExportController {
  constructor(private readonly exports: ExportService) {}

  @Get(':kind')
  @ApiOperation({
    summary: 'What the projection holds, as NDJSON in key order, one page at a time (for the reconciler).',
    description: `Kinds: ${PRICING_EXPORT_KINDS.join(', ')}. Rows follow libs/contracts (pricing-export.ts); tombstones (\`deleted: true\`) are included. The \`${EXPORT_NEXT_HEADER}\` header carries the next page's \`after\`.`,
  })
  @ApiParam({ name: 'kind', enum: PRICING_EXPORT_KINDS })
  @ApiOkResponse({ description: 'application/x-ndjson, one row a line.' })
  @ApiBadRequestResponse({ description: 'VALIDATION_FAILED: unknown kind, bad after or limit.' })
  async export(@Param('kind') kindParam: string, @ValidQuery(exportPageQuerySchema) query: ExportPageQuery, @Res() reply: FastifyReply): Promise<void> {
    const kind = parseParam(kindSchema, 'kind', kindParam);
    await sendExportPage(reply, await this.exports.page(kind, query.after, query.limit));
  }
}
