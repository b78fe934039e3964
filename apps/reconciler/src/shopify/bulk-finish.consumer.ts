import { type BeforeApplicationShutdown, Inject, Injectable, type OnApplicationBootstrap } from '@nestjs/common';
import { APP_CONFIG } from '@understudy/config';
import { decodeEnvelope, type Kafka, ManagedConsumer } from '@understudy/messaging';
import { LOGGER, METRICS } from '@understudy/observability';
import { KAFKA } from '@understudy/platform';
import { bulkOperationFinishPayload, TOPICS } from '@understudy/shopify';
import type { Logger } from 'pino';
import type { Registry } from 'prom-client';
import type { Config } from '../config';
import { ShopifyConnection } from './shopify-connection';

/**
 * `bulk_operations/finish`, as ingest publishes it: wakes the run waiting for
 * that operation at once instead of at its next poll. Polling stays the
 * fallback (a lost webhook, or another replica's member got it), so nothing
 * here may fail a run: unreadable messages are skipped, not dead-lettered.
 */
@Injectable()
export class BulkFinishConsumer implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly consumer: ManagedConsumer;

  constructor(
    @Inject(KAFKA) kafka: Kafka,
    shopify: ShopifyConnection,
    @Inject(APP_CONFIG) config: Config,
    @Inject(LOGGER) logger: Logger,
    @Inject(METRICS) metrics: Registry,
  ) {
    this.consumer = new ManagedConsumer(kafka, {
      // Prefixed like its topic, so installations sharing a cluster never share the group.
      groupId: `${config.KAFKA_TOPIC_PREFIX}reconciler-bulk-finish`,
      topics: [`${config.KAFKA_TOPIC_PREFIX}${TOPICS['bulk_operations/finish'].kafkaTopic}`],
      sessionTimeoutMs: 10_000,
      metrics,
      log: (level, message, details) => logger[level](details, message),
      handler: async (messages) => {
        for (const message of messages) {
          try {
            shopify.bulk.notifyFinished(bulkOperationFinishPayload.parse(decodeEnvelope(message.value).payload).admin_graphql_api_id);
          } catch (error) {
            logger.debug({ err: error, offset: message.offset }, 'skipping an unreadable bulk_operations/finish message');
          }
        }
      },
    });
  }

  onApplicationBootstrap(): void {
    this.consumer.start();
  }

  async beforeApplicationShutdown(): Promise<void> {
    await this.consumer.stop();
  }
}
