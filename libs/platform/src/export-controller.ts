import { Controller, Get, Inject, Param, Res, type Type } from '@nestjs/common';
import { ApiBadRequestResponse, ApiOkResponse, ApiOperation, ApiParam, ApiServiceUnavailableResponse, ApiTags } from '@nestjs/swagger';
import { EXPORT_NEXT_HEADER } from '@understudy/contracts';
import type { FastifyReply } from 'fastify';
import { z } from 'zod';
import { type ExportPage, sendExportPage } from './export-page';
import { parseParam, ValidQuery } from './zod';

/** The module's side of its export: one page of one kind. */
export interface ExportSource<K extends string, Q> {
  page(kind: K, query: Q): Promise<ExportPage>;
}

export interface ExportEndpoint<K extends string, Q> {
  /** The path's `{kind}`s (libs/contracts); any other is 400 VALIDATION_FAILED at `kind`. */
  kinds: readonly [K, ...K[]];
  /** The query string's schema (libs/contracts' exportPageQuerySchema, or an extension of it). */
  query: z.ZodObject<z.ZodRawShape> & z.ZodType<Q>;
  /** The libs/contracts file the rows follow, e.g. `inventory-export.ts`, and anything a reader of the rows should know. */
  rows: string;
  /** What a 400 VALIDATION_FAILED means here. */
  badRequest: string;
  /** The module's provider that reads the pages. */
  source: Type<ExportSource<K, Q>>;
}

/**
 * The controller of a module's `GET /v1/export/{kind}` (for the reconciler's diff): the kind and
 * the query validated, then one page from the module's source, streamed as NDJSON by sendExportPage.
 */
export function exportController<K extends string, Q>(endpoint: ExportEndpoint<K, Q>): Type<unknown> {
  const kindSchema = z.enum(endpoint.kinds, { message: `must be one of ${endpoint.kinds.join(', ')}` });

  @ApiTags('export')
  @ApiServiceUnavailableResponse({ description: 'DATABASE_UNAVAILABLE: storage unreachable; retry.' })
  @Controller('v1/export')
  class ExportController {
    constructor(@Inject(endpoint.source) private readonly source: ExportSource<K, Q>) {}

    @Get(':kind')
    @ApiOperation({
      summary: 'What the projection holds, as NDJSON in key order, one page at a time (for the reconciler).',
      description: `Rows follow libs/contracts (${endpoint.rows}). The \`${EXPORT_NEXT_HEADER}\` response header carries the next page's \`after\`; it is absent on the last page.`,
    })
    @ApiParam({ name: 'kind', enum: endpoint.kinds })
    @ApiOkResponse({ description: 'application/x-ndjson, one row a line.' })
    @ApiBadRequestResponse({ description: endpoint.badRequest })
    async export(@Param('kind') kindParam: string, @ValidQuery(endpoint.query) query: Q, @Res() reply: FastifyReply): Promise<void> {
      const kind = parseParam(kindSchema, 'kind', kindParam);
      await sendExportPage(reply, await this.source.page(kind, query));
    }
  }
  return ExportController;
}
