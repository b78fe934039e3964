import type { Admin, Kafka } from 'kafkajs';

/**
 * Readiness probe: a metadata request to the cluster. Uses one lazily
 * connected admin client; a failed check drops it so the next check
 * reconnects from scratch.
 */
export function kafkaProbe(kafka: Kafka, name = 'kafka') {
  let admin: Admin | undefined;
  return {
    name,
    async check(): Promise<void> {
      try {
        if (!admin) {
          admin = kafka.admin({ retry: { retries: 0 } });
          await admin.connect();
        }
        const cluster = await admin.describeCluster();
        if (cluster.brokers.length === 0) throw new Error('no brokers in cluster metadata');
      } catch (error) {
        const stale = admin;
        admin = undefined;
        await stale?.disconnect().catch(() => undefined);
        throw error;
      }
    },
    async close(): Promise<void> {
      await admin?.disconnect();
      admin = undefined;
    },
  };
}
