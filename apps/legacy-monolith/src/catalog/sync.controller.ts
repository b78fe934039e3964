import { Controller, Get, HttpCode, Post } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { CatalogSyncService } from './catalog-sync.service';

@ApiTags('catalogue sync')
@Controller('sync')
export class SyncController {
  constructor(private readonly sync: CatalogSyncService) {}

  @Get()
  @ApiOperation({ summary: 'The catalogue poll: last success, last error, variants mirrored.' })
  @ApiOkResponse({ description: '`{polls, failures, lastAttemptAt, lastSuccessAt, lastError, lastDurationMs, variants, running}`' })
  status() {
    return this.sync.status();
  }

  @Post()
  @HttpCode(200)
  @ApiOperation({ summary: 'Poll the Admin API now (joins a poll already running) and answer when it is done.' })
  run() {
    return this.sync.pollNow();
  }
}
