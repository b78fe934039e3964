// Compatibility smoke test: kafkajs (the repo's client) against the running broker.
// Exercises exactly what the platform relies on; exits non-zero on the first failure.
//
//   node tools/infra/kafka-smoke.mjs            # brokers from KAFKA_BROKERS or localhost:9092
//
// Steps: ApiVersions cross-check (every request kafkajs implements must share a version with
// the broker: Kafka 4 dropped old versions, KIP-896), admin describeCluster / createTopics / fetchTopicMetadata, idempotent producer
// (acks -1), consumer group (join, sync, fetch, commit), committed-offset read-back,
// transactional producer (commit + abort) with a read_committed consumer, then cleanup.
import { randomUUID } from 'node:crypto';
import { createRequire } from 'node:module';
import { Kafka, logLevel } from 'kafkajs';

const require = createRequire(import.meta.url);

const brokers = (process.env.KAFKA_BROKERS ?? `localhost:${process.env.KAFKA_PORT ?? 9092}`).split(',');
const kafka = new Kafka({ clientId: 'infra-smoke', brokers, logLevel: process.env.SMOKE_DEBUG ? logLevel.ERROR : logLevel.NOTHING, retry: { retries: 5 } });
const run = randomUUID().slice(0, 8);
const topic = `infra-smoke.${run}`;
const txTopic = `infra-smoke-tx.${run}`;
const N = 50;
const t0 = Date.now();
const ok = (msg) => console.log(`ok   ${String(Date.now() - t0).padStart(5)}ms  ${msg}`);
const withTimeout = (p, ms, what) =>
  Promise.race([p, new Promise((_, rej) => setTimeout(() => rej(new Error(`timeout after ${ms}ms: ${what}`)), ms))]);

const admin = kafka.admin();
const cleanups = [];
async function main() {
  await admin.connect();
  cleanups.push(() => admin.disconnect());
  const cluster = await admin.describeCluster();
  const b = cluster.brokers[0];
  const versions = b ? `broker ${b.nodeId}@${b.host}:${b.port}` : 'no brokers';
  ok(`describeCluster: clusterId=${cluster.clusterId} controller=${cluster.controller} ${versions}`);
  await apiVersionsCheck();

  await admin.createTopics({ waitForLeaders: true, topics: [
    { topic, numPartitions: 6, replicationFactor: 1 },
    { topic: txTopic, numPartitions: 3, replicationFactor: 1 },
  ] });
  cleanups.push(() => admin.deleteTopics({ topics: [topic, txTopic] }));
  const again = await admin.createTopics({ topics: [{ topic, numPartitions: 6, replicationFactor: 1 }] });
  const meta = await admin.fetchTopicMetadata({ topics: [topic] });
  const parts = meta.topics[0].partitions.length;
  if (parts !== 6) throw new Error(`expected 6 partitions, got ${parts}`);
  ok(`createTopics + fetchTopicMetadata: ${parts} partitions, re-create returned ${again} (false = already exists)`);

  const producer = kafka.producer({ idempotent: true, maxInFlightRequests: 1 });
  await producer.connect();
  cleanups.push(() => producer.disconnect());
  const messages = Array.from({ length: N }, (_, i) => ({ key: `k${i % 7}`, value: JSON.stringify({ i, run }) }));
  const res = await producer.send({ topic, acks: -1, messages });
  ok(`idempotent produce acks=-1: ${N} messages, ${res.length} partition responses`);

  const groupId = `infra-smoke-${run}`;
  const consumer = kafka.consumer({ groupId, sessionTimeout: 10000, heartbeatInterval: 1000 });
  await consumer.connect();
  cleanups.push(() => consumer.disconnect());
  let joined = null;
  consumer.on(consumer.events.GROUP_JOIN, (e) => { joined = e.payload; });
  await consumer.subscribe({ topic, fromBeginning: true });
  const seen = new Set();
  await withTimeout(new Promise((resolve, reject) => {
    consumer.run({
      autoCommit: true,
      autoCommitInterval: 100,
      eachMessage: async ({ message }) => {
        seen.add(JSON.parse(message.value.toString()).i);
        if (seen.size === N) resolve();
      },
    }).catch(reject);
  }), 30000, 'consume all messages');
  ok(`consumer group join (${joined?.groupProtocol ?? '?'} protocol, leader=${joined?.isLeader}) + fetch: ${seen.size}/${N} messages`);
  await consumer.commitOffsets([]).catch(() => {});
  await consumer.stop();
  await consumer.disconnect();
  cleanups.pop();
  const committed = await admin.fetchOffsets({ groupId, topics: [topic] });
  const total = committed[0].partitions.reduce((s, p) => s + Math.max(0, Number(p.offset)), 0);
  if (total !== N) throw new Error(`committed offsets sum to ${total}, expected ${N}`);
  ok(`offset commit + fetchOffsets: committed offsets sum to ${total}`);
  const groups = await admin.describeGroups([groupId]);
  ok(`describeGroups: state=${groups.groups[0].state}`);

  const tx = kafka.producer({ transactionalId: `infra-smoke-tx-${run}`, idempotent: true, maxInFlightRequests: 1 });
  await tx.connect();
  cleanups.push(() => tx.disconnect());
  let t = await tx.transaction();
  await t.send({ topic: txTopic, messages: [{ value: 'committed' }] });
  await t.commit();
  t = await tx.transaction();
  await t.send({ topic: txTopic, messages: [{ value: 'aborted' }] });
  await t.abort();
  const rc = kafka.consumer({ groupId: `${groupId}-rc`, readUncommitted: false });
  await rc.connect();
  cleanups.push(() => rc.disconnect());
  await rc.subscribe({ topic: txTopic, fromBeginning: true });
  const values = [];
  await withTimeout(new Promise((resolve, reject) => {
    rc.run({ eachMessage: async ({ message }) => { values.push(message.value.toString()); resolve(); } }).catch(reject);
  }), 30000, 'read_committed consume');
  await new Promise((r) => setTimeout(r, 1500));
  if (values.includes('aborted') || !values.includes('committed')) throw new Error(`read_committed saw ${JSON.stringify(values)}`);
  ok(`transactions: commit visible, abort hidden to read_committed consumer (${JSON.stringify(values)})`);
}

// Uses kafkajs internals (src/) on purpose: it is pinned at 2.2.4 and unmaintained.
async function apiVersionsCheck() {
  const src = (m) => require(`kafkajs/src/${m}`);
  const { requests } = src('protocol/requests');
  const apiKeys = src('protocol/requests/apiKeys');
  const Cluster = src('cluster');
  const quiet = src('loggers').createLogger({ level: 0, logCreator: () => () => {} });
  const c = new Cluster({ brokers, logger: quiet, socketFactory: src('network/socketFactory')(), connectionTimeout: 3000 });
  await c.connect();
  try {
    const broker = c.brokerPool.seedBroker.versions;
    const used = [];
    const broken = [];
    for (const [name, def] of Object.entries(requests)) {
      const key = apiKeys[name];
      const mine = def.versions.map(Number);
      if (key === undefined || mine.length === 0) continue; // not implemented by kafkajs
      const theirs = broker[key];
      const common = theirs ? mine.filter((v) => v >= theirs.minVersion && v <= theirs.maxVersion) : [];
      if (common.length === 0) broken.push(`${name}(kafkajs v${Math.min(...mine)}-${Math.max(...mine)}, broker ${theirs ? `v${theirs.minVersion}-${theirs.maxVersion}` : 'none'})`);
      else used.push(`${name} v${Math.max(...common)}`);
    }
    if (broken.length) throw new Error(`no common protocol version for: ${broken.join(', ')}`);
    ok(`ApiVersions: all ${used.length} kafkajs requests have a common version (${used.slice(0, 4).join(', ')}, ...)`);
  } finally {
    await c.disconnect();
  }
}

let failed = false;
try {
  await main();
  console.log('kafka smoke: PASS');
} catch (err) {
  failed = true;
  console.error(`kafka smoke: FAIL: ${err?.name ?? 'Error'}: ${err?.message ?? err}${err?.type ? ` (${err.type})` : ''}`);
} finally {
  for (const c of cleanups.reverse()) await c().catch(() => {});
}
process.exit(failed ? 1 : 0);
