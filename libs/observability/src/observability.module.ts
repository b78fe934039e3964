import { Controller, DynamicModule, Get, Global, Header, Inject, Module } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { Logger } from 'pino';
import type { Registry } from 'prom-client';

export const LOGGER = Symbol('LOGGER');
export const METRICS = Symbol('METRICS');

@ApiExcludeController()
@Controller('metrics')
export class MetricsController {
  constructor(@Inject(METRICS) private readonly registry: Registry) {}

  @Get()
  @Header('Content-Type', 'text/plain; version=0.0.4; charset=utf-8')
  scrape(): Promise<string> {
    return this.registry.metrics();
  }
}

/** Provides the process's logger (`LOGGER`) and metrics registry (`METRICS`) and serves `GET /metrics`. */
@Global()
@Module({})
export class ObservabilityModule {
  static forRoot(logger: Logger, registry: Registry): DynamicModule {
    return {
      module: ObservabilityModule,
      controllers: [MetricsController],
      providers: [
        { provide: LOGGER, useValue: logger },
        { provide: METRICS, useValue: registry },
      ],
      exports: [LOGGER, METRICS],
    };
  }
}
