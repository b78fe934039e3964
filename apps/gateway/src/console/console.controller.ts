import { Controller, Get, Inject, Param, Req, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import { APP_CONFIG } from '@understudy/config';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Config } from '../config';
import { ConsoleAssets, CONSOLE_SECURITY_HEADERS, defaultConsoleAssetsDir } from './console-assets';

/**
 * `GET /console`: the operator console's page and its files, served by the
 * gateway itself from memory. The page holds no data: everything it shows it
 * reads from the admin API with the token the operator types in.
 */
@ApiExcludeController()
@Controller('console')
export class ConsoleController {
  private readonly assets: ConsoleAssets;

  constructor(@Inject(APP_CONFIG) config: Config) {
    this.assets = ConsoleAssets.load(config.CONSOLE_ASSETS_DIR ?? defaultConsoleAssetsDir());
  }

  @Get()
  page(@Req() request: FastifyRequest, @Res() reply: FastifyReply) {
    return this.send('index.html', request, reply);
  }

  @Get(':file')
  file(@Param('file') file: string, @Req() request: FastifyRequest, @Res() reply: FastifyReply) {
    return this.send(file, request, reply);
  }

  @Get('js/:file')
  script(@Param('file') file: string, @Req() request: FastifyRequest, @Res() reply: FastifyReply) {
    return this.send(`js/${file}`, request, reply);
  }

  private send(name: string, request: FastifyRequest, reply: FastifyReply) {
    void reply.headers(CONSOLE_SECURITY_HEADERS);
    if (this.assets.missing) {
      return reply
        .status(503)
        .type('application/json')
        .send({ error: { code: 'CONSOLE_NOT_BUILT', message: this.assets.missing, details: {} } });
    }
    const asset = this.assets.get(name);
    if (!asset) return reply.status(404).type('application/json').send({ error: { code: 'NOT_FOUND', message: `no console file ${name}`, details: {} } });
    void reply.header('etag', asset.etag);
    if (request.headers['if-none-match'] === asset.etag) return reply.status(304).send();
    return reply.type(asset.contentType).send(asset.body);
  }
}
