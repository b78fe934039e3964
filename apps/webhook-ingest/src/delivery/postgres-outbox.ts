import type { DedupStore } from '@understudy/idempotency';
import type { DataSource } from 'typeorm';
import type { OutboxEntry, OutboxMessage, OutboxStore } from './durable-delivery';

/** Any constant: only one replica drains at a time, so per-key order survives several replicas. */
const DRAIN_LOCK_KEY = 0x55_4e_44_53; // "UNDS"

/**
 * The outbox in PostgreSQL (`webhook_outbox`, this app's migration): rows in
 * arrival order (`seq`). A row is stored in the same transaction that marks
 * its event id done in the dedup store's table, through the dedup store.
 */
export class PostgresOutbox implements OutboxStore {
  constructor(
    private readonly dataSource: DataSource,
    private readonly dedup: Pick<DedupStore, 'completeWithin'>,
  ) {}

  get available(): boolean {
    return this.dataSource.isInitialized;
  }

  async store(entry: OutboxEntry): Promise<void> {
    await this.dataSource.transaction(async (manager) => {
      await manager.query(
        `INSERT INTO webhook_outbox (event_id, kafka_topic, kafka_key, headers, envelope) VALUES ($1, $2, $3, $4, $5)
         ON CONFLICT (event_id) DO NOTHING`,
        [entry.eventId, entry.kafkaTopic, entry.kafkaKey, JSON.stringify(entry.headers), entry.envelope],
      );
      await this.dedup.completeWithin(manager, entry.eventId);
    });
  }

  async depth(): Promise<number> {
    const [{ depth }] = (await this.dataSource.query('SELECT count(*)::int AS depth FROM webhook_outbox')) as [{ depth: number }];
    return depth;
  }

  drainOldest(limit: number, publish: (messages: OutboxMessage[]) => Promise<void>): Promise<number> {
    return this.dataSource.transaction(async (manager) => {
      const [{ locked }] = (await manager.query('SELECT pg_try_advisory_xact_lock($1) AS locked', [DRAIN_LOCK_KEY])) as [{ locked: boolean }];
      if (!locked) return 0;
      const rows = (await manager.query('SELECT seq, kafka_topic, kafka_key, headers, envelope FROM webhook_outbox ORDER BY seq LIMIT $1', [limit])) as Array<{
        seq: string;
        kafka_topic: string;
        kafka_key: string;
        headers: Record<string, string>;
        envelope: Buffer;
      }>;
      if (rows.length === 0) return 0;
      await publish(rows.map((row) => ({ kafkaTopic: row.kafka_topic, kafkaKey: row.kafka_key, headers: row.headers, envelope: row.envelope })));
      // By seq list, not `<= max`: a row with a lower seq may commit after our SELECT and is not published yet.
      await manager.query('DELETE FROM webhook_outbox WHERE seq = ANY($1::bigint[])', [rows.map((row) => row.seq)]);
      return rows.length;
    });
  }
}
