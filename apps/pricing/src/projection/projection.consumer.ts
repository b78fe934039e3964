import { Inject, Injectable } from '@nestjs/common';
import { APP_CONFIG } from '@understudy/config';
import { Readiness } from '@understudy/health';
import type { Kafka } from '@understudy/messaging';
import { LOGGER, METRICS } from '@understudy/observability';
import { KAFKA, ProjectionConsumerHost } from '@understudy/platform';
import type { Logger } from 'pino';
import type { Registry } from 'prom-client';
import type { Config } from '../config';
import { Database } from '../database/database';
import { ProjectionService } from './projection.service';

/** The pricing projection's consumer-group member (libs/platform's ProjectionConsumerHost says what it does). */
@Injectable()
export class ProjectionConsumer extends ProjectionConsumerHost {
  constructor(
    @Inject(APP_CONFIG) config: Config,
    @Inject(KAFKA) kafka: Kafka,
    @Inject(LOGGER) logger: Logger,
    @Inject(METRICS) metrics: Registry,
    readiness: Readiness,
    database: Database,
    projection: ProjectionService,
  ) {
    super(config, {
      kafka,
      logger,
      metrics,
      readiness,
      canStart: () => database.isReady,
      handler: (messages) => projection.handle(messages),
      onDeadLetter: (message) => projection.recordDeadLetter(message.topic),
    });
  }
}
