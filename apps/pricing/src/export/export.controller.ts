import { Readable } from 'node:stream';
import { Controller, Get, Param, Res } from '@nestjs/common';
import { ApiBadRequestResponse, ApiOkResponse, ApiOperation, ApiParam, ApiServiceUnavailableResponse, ApiTags } from '@nestjs/swagger';
import { EXPORT_NEXT_HEADER, PRICING_EXPORT_KINDS } from '@understudy/contracts';
import { ValidQuery, validationFailed, zodIssues } from '@understudy/platform';
import type { FastifyReply } from 'fastify';
import { z } from 'zod';
import { ExportService } from './export.service';

const exportQuerySchema = z.object({
  after: z
    .string()
    .regex(/^[1-9]\d{0,18}(:[1-9]\d{0,18})?$/, 'must be the last key of the previous page')
    .refine((value) => value.split(':').every((part) => /^\d{1,19}$/.test(part) && BigInt(part) <= 9_223_372_036_854_775_807n), 'must fit a positive int8')
    .optional(),
  limit: z.coerce.number().int().min(1).max(10_000).default(5_000),
});

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
  async export(@Param('kind') kindParam: string, @ValidQuery(exportQuerySchema) query: z.infer<typeof exportQuerySchema>, @Res() reply: FastifyReply): Promise<void> {
    const kind = kindSchema.safeParse(kindParam);
    if (!kind.success) throw validationFailed(zodIssues(kind.error, 'kind'));
    const page = await this.exports.page(kind.data, query.after, query.limit);
    if (page.next) void reply.header(EXPORT_NEXT_HEADER, page.next);
    void reply.status(200).header('content-type', 'application/x-ndjson; charset=utf-8');
    await reply.send(Readable.from(ndjson(page.rows)));
  }
}

function* ndjson(rows: ReadonlyArray<Record<string, unknown>>): Generator<string> {
  for (const row of rows) yield `${JSON.stringify(row)}\n`;
}
