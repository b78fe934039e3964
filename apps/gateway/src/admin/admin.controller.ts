import { Body, Get, Headers, HttpCode, Param, Patch, Post } from '@nestjs/common';
import {
  ApiBadRequestResponse,
  ApiBody,
  ApiConflictResponse,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiOperation,
  ApiParam,
  ApiServiceUnavailableResponse,
} from '@nestjs/swagger';
import { openApiSchema, ValidBody, ValidQuery } from '@understudy/platform';
import { actorHeader, actorOf, AdminApi } from './admin-api';
import { AdminService } from './admin.service';
import { type ListQuery, listQuerySchema, type ReportQuery, reportQuerySchema, type RouteAction, routeActionSchema, routePatchSchema } from './dto/admin.dto';

const routeParam = ApiParam({ name: 'name', description: 'Route name, e.g. `inventory.check`.', example: 'inventory.check' });

@AdminApi()
export class AdminController {
  constructor(private readonly admin: AdminService) {}

  @Get('routes')
  @ApiOperation({ summary: 'Every route as this replica serves it: mode, percentage, step, configuration, learned noise, breakers.' })
  list() {
    return this.admin.list();
  }

  @Get('routes/:name')
  @routeParam
  @ApiOperation({ summary: 'One route as this replica serves it.' })
  @ApiNotFoundResponse({ description: 'ROUTE_NOT_FOUND' })
  get(@Param('name') name: string) {
    return this.admin.get(name);
  }

  @Patch('routes/:name')
  @routeParam
  @actorHeader
  @ApiOperation({
    summary: 'Change a route: any field, deep-merged into the stored configuration, validated as a whole.',
    description: 'Send the `version` you read. Every replica serves the change within a second; it is recorded in the audit log with who and why.',
  })
  @ApiBody({ schema: openApiSchema(routePatchSchema) })
  @ApiBadRequestResponse({ description: 'VALIDATION_FAILED with the failing paths.' })
  @ApiNotFoundResponse({ description: 'ROUTE_NOT_FOUND' })
  @ApiConflictResponse({ description: 'VERSION_CONFLICT: the route changed since the version sent (`details.currentVersion`).' })
  @ApiServiceUnavailableResponse({ description: 'CONFIG_STORE_UNAVAILABLE: PostgreSQL is unreachable; nothing changed.' })
  update(@Param('name') name: string, @Body() body: unknown, @Headers('x-understudy-actor') actor: string | undefined) {
    return this.admin.update(name, body, actorOf(actor));
  }

  @Post('routes/:name/promote')
  @HttpCode(200)
  @routeParam
  @actorHeader
  @ApiOperation({ summary: 'Move the route to the next step of its ramp (resets its stats).' })
  @ApiConflictResponse({ description: 'VERSION_CONFLICT, or NO_NEXT_STEP on the last step.' })
  promote(@Param('name') name: string, @ValidBody(routeActionSchema) body: RouteAction, @Headers('x-understudy-actor') actor: string | undefined) {
    return this.admin.promote(name, body, actorOf(actor));
  }

  @Post('routes/:name/rollback')
  @HttpCode(200)
  @routeParam
  @actorHeader
  @ApiOperation({ summary: 'Move the route back one ramp step (to monolith from the first step).' })
  @ApiConflictResponse({ description: 'VERSION_CONFLICT, or ALREADY_ON_MONOLITH.' })
  rollback(@Param('name') name: string, @ValidBody(routeActionSchema) body: RouteAction, @Headers('x-understudy-actor') actor: string | undefined) {
    return this.admin.rollback(name, body, actorOf(actor));
  }

  @Post('routes/:name/freeze')
  @HttpCode(200)
  @routeParam
  @actorHeader
  @ApiOperation({ summary: 'Stop the guards from changing this route (manual changes still work).' })
  freeze(@Param('name') name: string, @ValidBody(routeActionSchema) body: RouteAction, @Headers('x-understudy-actor') actor: string | undefined) {
    return this.admin.freeze(name, true, body, actorOf(actor));
  }

  @Post('routes/:name/unfreeze')
  @HttpCode(200)
  @routeParam
  @actorHeader
  @ApiOperation({ summary: 'Let the guards promote and roll back this route again.' })
  unfreeze(@Param('name') name: string, @ValidBody(routeActionSchema) body: RouteAction, @Headers('x-understudy-actor') actor: string | undefined) {
    return this.admin.freeze(name, false, body, actorOf(actor));
  }

  @Get('report')
  @ApiOperation({ summary: "Every route's report (see the route report)." })
  reportAll(@ValidQuery(reportQuerySchema) query: ReportQuery) {
    return this.admin.reportAll(query.scope);
  }

  @Get('routes/:name/report')
  @routeParam
  @ApiOperation({
    summary: 'Match rate, mismatches by JSON path with examples, p50/p95/p99 of both sides, errors, skipped shadows — overall and per segment — and what the guards would do now.',
    description:
      'Figures over the promotion window, since the route’s current step began: by default the whole fleet’s (every replica’s published figures on the same configuration version, summed, listed in `replicas`), ' +
      'or with `scope=replica` the answering replica’s alone. Without Redis the answer is the replica’s own, with `scope: replica` and `fleetUnavailable` saying why. ' +
      '`guard`, `breakers`, `noise` and `shadowSlots` are the answering replica’s.',
  })
  @ApiOkResponse({ description: '`{route, scope, replicas, step, guard, overall, segments, noise, breakers, shadowSlots}`' })
  report(@Param('name') name: string, @ValidQuery(reportQuerySchema) query: ReportQuery) {
    return this.admin.report(name, query.scope);
  }

  @Get('diffs')
  @ApiOperation({ summary: 'Recent sampled mismatches (and failed comparisons) stored in PostgreSQL, newest first.' })
  @ApiServiceUnavailableResponse({ description: 'CONFIG_STORE_UNAVAILABLE' })
  diffs(@ValidQuery(listQuerySchema) query: ListQuery) {
    return this.admin.diffs(query);
  }

  @Get('audit')
  @ApiOperation({ summary: 'Every route change, by hand or by guard: who, when, why, before and after. Newest first.' })
  @ApiServiceUnavailableResponse({ description: 'CONFIG_STORE_UNAVAILABLE' })
  audit(@ValidQuery(listQuerySchema) query: ListQuery) {
    return this.admin.audit(query);
  }
}
