import { Inject, Injectable, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import { EventPublisher } from '@understudy/messaging';
import { LOGGER } from '@understudy/observability';
import { DATA_SOURCE } from '@understudy/platform';
import type { Logger } from 'pino';
import type { DataSource } from 'typeorm';
import { DeliveryState } from './delivery-state';
import { INGEST_METRICS } from './ingest.tokens';
import type { IngestMetrics } from './ingest-metrics';

export interface OutboxEntry {
  /** X-Shopify-Event-Id: the dedup key. */
  eventId: string;
  kafkaTopic: string;
  kafkaKey: string;
  headers: Record<string, string>;
  envelope: Buffer;
}

const RELAY_BATCH = 500;
const RELAY_INTERVAL_MS = 250;
/** Any constant: only one replica relays at a time, so per-key order survives several replicas. */
const RELAY_LOCK_KEY = 0x55_4e_44_53; // "UNDS"

/**
 * The durable fallback: envelopes accepted while Kafka was unreachable wait in
 * PostgreSQL and are relayed in arrival order (`seq`) once Kafka answers again.
 * The dedup row is marked done in the same transaction as the outbox insert.
 */
@Injectable()
export class OutboxService implements OnApplicationBootstrap, OnApplicationShutdown {
  private timer: NodeJS.Timeout | undefined;
  private relaying: Promise<void> | undefined;
  private stopped = false;

  constructor(
    @Inject(DATA_SOURCE) private readonly dataSource: DataSource,
    private readonly publisher: EventPublisher,
    private readonly state: DeliveryState,
    @Inject(INGEST_METRICS) private readonly metrics: IngestMetrics,
    @Inject(LOGGER) private readonly logger: Logger,
  ) {}

  /** Stores the envelope and completes its dedup claim atomically. */
  async store(entry: OutboxEntry, dedupTable: string): Promise<void> {
    await this.dataSource.transaction(async (manager) => {
      await manager.query(
        `INSERT INTO webhook_outbox (event_id, kafka_topic, kafka_key, headers, envelope) VALUES ($1, $2, $3, $4, $5)
         ON CONFLICT (event_id) DO NOTHING`,
        [entry.eventId, entry.kafkaTopic, entry.kafkaKey, JSON.stringify(entry.headers), entry.envelope],
      );
      await manager.query(`UPDATE "${dedupTable}" SET state = 'done', completed_at = now() WHERE id = $1`, [entry.eventId]);
    });
    this.state.outboxDepth++;
    this.metrics.outboxDepth.set(this.state.outboxDepth);
  }

  onApplicationBootstrap(): void {
    const tick = () => {
      if (this.stopped) return;
      this.relaying = this.relayOnce()
        .then(() => undefined)
        .catch((error: unknown) => this.logger.debug({ err: error }, 'outbox relay pass failed'))
        .finally(() => {
          this.relaying = undefined;
          if (!this.stopped) this.timer = setTimeout(tick, RELAY_INTERVAL_MS);
        });
    };
    this.timer = setTimeout(tick, 0);
  }

  async onApplicationShutdown(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.timer);
    await this.relaying;
  }

  /** One pass: refresh the depth, and if Kafka takes messages, move a batch from the outbox to Kafka. */
  async relayOnce(): Promise<number> {
    if (!this.dataSource.isInitialized) return 0;
    const [{ depth }] = (await this.dataSource.query('SELECT count(*)::int AS depth FROM webhook_outbox')) as [{ depth: number }];
    if (depth === 0) {
      // Nothing waits: let the next webhook try Kafka again (it falls back within the publish timeout).
      this.state.kafkaFailing = false;
      this.setDepth(0);
      return 0;
    }
    this.setDepth(depth);

    return this.dataSource.transaction(async (manager) => {
      const [{ locked }] = (await manager.query('SELECT pg_try_advisory_xact_lock($1) AS locked', [RELAY_LOCK_KEY])) as [{ locked: boolean }];
      if (!locked) return 0;
      const rows = (await manager.query(
        'SELECT seq, kafka_topic, kafka_key, headers, envelope FROM webhook_outbox ORDER BY seq LIMIT $1',
        [RELAY_BATCH],
      )) as Array<{ seq: string; kafka_topic: string; kafka_key: string; headers: Record<string, string>; envelope: Buffer }>;
      if (rows.length === 0) return 0;
      // One publish per topic, in seq order; the publisher keeps order within a batch.
      const byTopic = new Map<string, typeof rows>();
      for (const row of rows) byTopic.set(row.kafka_topic, [...(byTopic.get(row.kafka_topic) ?? []), row]);
      await Promise.all(
        [...byTopic].map(([topic, topicRows]) =>
          this.publisher.publish(topic, topicRows.map((row) => ({ key: row.kafka_key, value: row.envelope, headers: row.headers }))),
        ),
      );
      // By seq list, not `<= max`: a row with a lower seq may commit after our SELECT and is not published yet.
      await manager.query('DELETE FROM webhook_outbox WHERE seq = ANY($1::bigint[])', [rows.map((row) => row.seq)]);
      this.metrics.outboxRelayed.inc(rows.length);
      this.state.kafkaFailing = false;
      this.setDepth(Math.max(0, depth - rows.length));
      this.logger.info({ relayed: rows.length, remaining: this.state.outboxDepth }, 'outbox relayed to Kafka');
      return rows.length;
    });
  }

  private setDepth(depth: number): void {
    this.state.outboxDepth = depth;
    this.metrics.outboxDepth.set(depth);
    this.metrics.deliveryPath.set({ path: 'kafka' }, this.state.path === 'kafka' ? 1 : 0);
    this.metrics.deliveryPath.set({ path: 'outbox' }, this.state.path === 'outbox' ? 1 : 0);
  }
}
