import { Get, Headers, HttpCode, Param, Post } from '@nestjs/common';
import { ApiBadRequestResponse, ApiConflictResponse, ApiNotFoundResponse, ApiOkResponse, ApiOperation, ApiParam } from '@nestjs/swagger';
import { ValidBody, ValidQuery } from '@understudy/platform';
import { actorHeader, actorOf, AdminApi } from '../admin/admin-api';
import { ConsoleService } from './console.service';
import { type HistoryQuery, historyQuerySchema, type NoiseDecision, noiseDecisionSchema, type NoiseRejection, noiseRejectionSchema, type SyncQuery, syncQuerySchema } from './dto/console.dto';

/** Admin endpoints the operator console reads besides the route ones (same token, same error shape). */
@AdminApi()
export class ConsoleApiController {
  constructor(private readonly console: ConsoleService) {}

  @Get('history')
  @ApiOperation({
    summary: "Each route's match rate over the last minutes, one point per CONSOLE_HISTORY_INTERVAL_MS (this replica's samples of the fleet report).",
    description: 'Points `{at, matchRate, samples, mode, percent}`, oldest first; `matchRate` is over the route’s promotion window at that moment, null before any comparison.',
  })
  @ApiNotFoundResponse({ description: 'ROUTE_NOT_FOUND' })
  history(@ValidQuery(historyQuerySchema) query: HistoryQuery) {
    return this.console.historyOf(query);
  }

  @Get('sync')
  @ApiOperation({
    summary: "Shopify sync as the reconciler sees it: its latest runs (drift by kind, subscriptions), the delivery ratio per hour, dead letters.",
    description:
      'Read from RECONCILER_URL with a 1.5 s deadline. Always 200: each part is `{available: true, body}` with the reconciler’s own answer, or `{available: false, reason}` when the reconciler is not configured, down, slow or does not offer it.',
  })
  @ApiOkResponse({ description: '`{configured, runs, delivery, deadLetters}`' })
  sync(@ValidQuery(syncQuerySchema) query: SyncQuery) {
    return this.console.sync(query);
  }

  @Post('routes/:name/noise/confirm')
  @HttpCode(200)
  @ApiParam({ name: 'name', description: 'Route name, e.g. `pricing.quote`.', example: 'pricing.quote' })
  @actorHeader
  @ApiOperation({
    summary: 'Confirm a learned noise path: add it to the route’s stored `comparison.ignore` (and off `noise.rejected`), so every replica ignores it; audited as `noise-confirm`. Already confirmed: the route unchanged, nothing audited.',
  })
  @ApiBadRequestResponse({ description: 'VALIDATION_FAILED: not a JSON path pattern, or a bad version.' })
  @ApiNotFoundResponse({ description: 'ROUTE_NOT_FOUND' })
  @ApiConflictResponse({ description: 'VERSION_CONFLICT' })
  confirmNoise(@Param('name') name: string, @ValidBody(noiseDecisionSchema) body: NoiseDecision, @Headers('x-understudy-actor') actor: string | undefined) {
    return this.console.decideNoise(name, 'confirm', body, actorOf(actor));
  }

  @Post('routes/:name/noise/reject')
  @HttpCode(200)
  @ApiParam({ name: 'name', description: 'Route name, e.g. `inventory.check`.', example: 'inventory.check' })
  @actorHeader
  @ApiOperation({
    summary: 'Reject a noise candidate: it is not noise. It leaves `comparison.ignore` and joins `noise.rejected`, so no replica ignores it (its differences count as mismatches again) or learns it again; audited as `noise-reject` with the reason.',
    description:
      'The path must be a candidate: learned by the answering replica, in `comparison.ignore`, or already rejected (then the route is returned unchanged and nothing is audited). `POST …/noise/confirm` undoes a rejection.',
  })
  @ApiBadRequestResponse({ description: 'VALIDATION_FAILED: not a JSON path pattern, no reason, or a bad version.' })
  @ApiNotFoundResponse({ description: 'ROUTE_NOT_FOUND, or NOISE_CANDIDATE_NOT_FOUND: the path is not learned, ignored or rejected on this route.' })
  @ApiConflictResponse({ description: 'VERSION_CONFLICT' })
  rejectNoise(@Param('name') name: string, @ValidBody(noiseRejectionSchema) body: NoiseRejection, @Headers('x-understudy-actor') actor: string | undefined) {
    return this.console.decideNoise(name, 'reject', body, actorOf(actor));
  }
}
