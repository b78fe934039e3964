import { Controller, Get, HttpCode, Post } from '@nestjs/common';
import { ApiAcceptedResponse, ApiBadRequestResponse, ApiConflictResponse, ApiNotFoundResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { ApiError, openApiSchema, ValidBody, ValidParam, ValidQuery } from '@understudy/platform';
import type { RunRecord } from '../persistence/run-store';
import { ReconcilerService } from './reconciler.service';
import { type ListRunsQuery, listRunsSchema, runIdSchema, runListSchema, runSchema, type StartRunRequest, startRunSchema } from './dto/runs.dto';

/** The public view of a run (the checkpoint is internal). */
function view(run: RunRecord) {
  const { checkpoint: _checkpoint, ...rest } = run;
  return rest;
}

@ApiTags('runs')
@Controller('v1/runs')
export class RunsController {
  constructor(private readonly reconciler: ReconcilerService) {}

  @Post()
  @HttpCode(202)
  @ApiOperation({ summary: 'Start a reconcile run: full (bulk snapshot) or incremental (changes since the cursor), optionally dry.' })
  @ApiAcceptedResponse({ schema: openApiSchema(runSchema) })
  @ApiBadRequestResponse({ description: 'VALIDATION_FAILED or UNKNOWN_DOMAIN.' })
  @ApiConflictResponse({ description: 'RUN_IN_PROGRESS: a run of one of these domains is running; details.run is it.' })
  async start(@ValidBody(startRunSchema) body: StartRunRequest) {
    return view(await this.reconciler.start(body));
  }

  @Get()
  @ApiOperation({ summary: 'The latest runs, newest first.' })
  @ApiOkResponse({ schema: openApiSchema(runListSchema) })
  async list(@ValidQuery(listRunsSchema) query: ListRunsQuery) {
    return { runs: (await this.reconciler.list(query.limit)).map(view) };
  }

  @Get(':id')
  @ApiOperation({ summary: 'One run, with its progress while it runs.' })
  @ApiOkResponse({ schema: openApiSchema(runSchema) })
  @ApiBadRequestResponse({ description: 'VALIDATION_FAILED: not a run id.' })
  @ApiNotFoundResponse({ description: 'RUN_NOT_FOUND' })
  async get(@ValidParam('id', runIdSchema) id: string) {
    const run = await this.reconciler.get(id);
    if (!run) throw new ApiError(404, 'RUN_NOT_FOUND', `no run ${id}`);
    return view(run);
  }
}
