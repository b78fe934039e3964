import { Inject, Injectable, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import { APP_CONFIG } from '@understudy/config';
import { ConsumerRunner, decodeEnvelope, EventPublisher, type Kafka } from '@understudy/messaging';
import { LOGGER } from '@understudy/observability';
import { KAFKA } from '@understudy/platform';
import { bulkOperationFinishPayload, TOPICS } from '@understudy/shopify';
import type { Logger } from 'pino';
import type { Config } from '../config';
import { ShopifyConnection } from './shopify-connection';

/**
 * `bulk_operations/finish`, as ingest publishes it: wakes the run waiting for
 * that operation at once instead of at its next poll. Polling stays the
 * fallback (a lost webhook, or another replica's group member got it), so
 * nothing here may fail a run: bad messages are skipped, not dead-lettered.
 */
@Injectable()
export class BulkFinishConsumer implements OnApplicationBootstrap, OnApplicationShutdown {
  private runner: ConsumerRunner | undefined;
  private stopped = false;
  private retry: NodeJS.Timeout | undefined;

  constructor(
    @Inject(KAFKA) private readonly kafka: Kafka,
    private readonly publisher: EventPublisher,
    private readonly shopify: ShopifyConnection,
    @Inject(APP_CONFIG) private readonly config: Config,
    @Inject(LOGGER) private readonly logger: Logger,
  ) {}

  onApplicationBootstrap(): void {
    this.runner = new ConsumerRunner(this.kafka, {
      groupId: 'reconciler-bulk-finish',
      topics: [`${this.config.KAFKA_TOPIC_PREFIX}${TOPICS['bulk_operations/finish'].kafkaTopic}`],
      deadLetters: this.publisher,
      sessionTimeoutMs: 10_000,
      handler: async (messages) => {
        for (const message of messages) {
          try {
            const payload = bulkOperationFinishPayload.parse(decodeEnvelope(message.value).payload);
            this.shopify.bulk.notifyFinished(payload.admin_graphql_api_id);
          } catch (error) {
            this.logger.debug({ err: error, offset: message.offset }, 'skipping an unreadable bulk_operations/finish message');
          }
        }
      },
    });
    this.start(1_000);
  }

  async onApplicationShutdown(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.retry);
    await this.runner?.stop().catch(() => undefined);
  }

  private start(delayMs: number): void {
    this.runner!.start().catch((error: unknown) => {
      if (this.stopped) return;
      this.logger.warn({ err: error, retryInMs: delayMs }, 'bulk_operations/finish consumer could not start; polling only until it does');
      this.retry = setTimeout(() => this.start(Math.min(delayMs * 2, 30_000)), delayMs);
    });
  }
}
