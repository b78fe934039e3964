// Kafka helper for tools/infra/infra.sh (plain Node ESM, uses the repo's kafkajs).
//
//   node kafka.mjs probe  [--timeout-ms 3000]             exit 0 if a broker answers describeCluster
//   node kafka.mjs wait   --timeout-s 120 [--pid 1234]     poll until it answers; exit 3 if --pid died
//   node kafka.mjs topics <topic-catalog.json> [--prefix p.]      create every topic and its .dlq twin (idempotent), each behind the prefix
//   node kafka.mjs list   <topic-catalog.json>             print the topics `topics` would create, one a line (no broker)
//   node kafka.mjs count                                   print the number of non-internal topics
//
// Brokers: KAFKA_BROKERS, else localhost:${KAFKA_PORT:-9092}.
import { readFileSync } from 'node:fs';
import { Kafka, logLevel } from 'kafkajs';

const [cmd, ...rest] = process.argv.slice(2);
const opt = (name, dflt) => {
  const i = rest.indexOf(`--${name}`);
  return i >= 0 ? rest[i + 1] : dflt;
};
const brokers = (process.env.KAFKA_BROKERS ?? `localhost:${process.env.KAFKA_PORT ?? 9092}`).split(',');

function client(timeoutMs = 3000) {
  return new Kafka({
    clientId: 'understudy-infra',
    brokers,
    logLevel: logLevel.NOTHING,
    connectionTimeout: Math.min(timeoutMs, 3000),
    requestTimeout: Math.max(timeoutMs, 5000),
    retry: { retries: 0 },
  });
}

async function describeOnce(timeoutMs) {
  const admin = client(timeoutMs).admin();
  const timer = new Promise((_, rej) => setTimeout(() => rej(new Error(`no answer within ${timeoutMs} ms`)), timeoutMs).unref());
  try {
    await Promise.race([admin.connect(), timer]);
    return await Promise.race([admin.describeCluster(), timer]);
  } finally {
    await admin.disconnect().catch(() => {});
  }
}

const alive = (pid) => {
  try { process.kill(pid, 0); return true; } catch (e) { return e.code === 'EPERM'; }
};

async function probe() {
  const c = await describeOnce(Number(opt('timeout-ms', 3000)));
  console.log(`clusterId=${c.clusterId} brokers=${c.brokers.length} controller=${c.controller}`);
}

async function wait() {
  const deadline = Date.now() + Number(opt('timeout-s', 120)) * 1000;
  const pid = opt('pid') ? Number(opt('pid')) : null;
  let last = 'not tried';
  while (Date.now() < deadline) {
    if (pid && !alive(pid)) {
      console.error(`kafka process ${pid} exited while starting`);
      process.exit(3);
    }
    try {
      const c = await describeOnce(3000);
      console.log(`clusterId=${c.clusterId}`);
      return;
    } catch (err) {
      last = err?.message ?? String(err);
      await new Promise((r) => setTimeout(r, 500));
    }
  }
  console.error(`kafka did not answer describeCluster on ${brokers.join(',')} (last error: ${last})`);
  process.exit(2);
}

/** Every topic of the catalogue and its dead-letter twin. */
function wantedTopics(spec, prefix = '') {
  return spec.topics.flatMap((t) => [`${prefix}${t}`, `${prefix}${t}.dlq`]);
}

async function topics(file) {
  const spec = JSON.parse(readFileSync(file, 'utf8'));
  const numPartitions = Number(spec.partitions ?? 6);
  const replicationFactor = Number(spec.replicationFactor ?? 1);
  const wanted = wantedTopics(spec, opt('prefix', ''));
  const admin = new Kafka({ clientId: 'understudy-infra', brokers, logLevel: logLevel.NOTHING, retry: { retries: 8 } }).admin();
  await admin.connect();
  try {
    const existing = new Set(await admin.listTopics());
    const missing = wanted.filter((t) => !existing.has(t));
    if (missing.length) {
      await admin.createTopics({
        waitForLeaders: false,
        topics: missing.map((topic) => ({ topic, numPartitions, replicationFactor })),
      });
    }
    // Wait until the broker serves every partition: kafkajs's own waitForLeaders gives up on the first
    // "This server does not host this topic-partition", which a busy broker answers for a while after
    // a topic is created. Then report topics whose partition count differs from the spec (never altered).
    const meta = await servedMetadata(admin, wanted);
    const odd = meta.topics.filter((t) => t.partitions.length !== numPartitions).map((t) => `${t.name}(${t.partitions.length})`);
    console.log(`topics: ${wanted.length} wanted, ${missing.length} created, ${wanted.length - missing.length} already existed` +
      (odd.length ? `; WARNING partition count differs from ${numPartitions}: ${odd.join(', ')}` : ''));
  } finally {
    await admin.disconnect();
  }
}

async function servedMetadata(admin, topics, timeoutMs = 120_000) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const meta = await admin.fetchTopicMetadata({ topics }).catch((error) => error);
    if (!(meta instanceof Error) && meta.topics.every((t) => t.partitions.length > 0 && t.partitions.every((p) => p.leader >= 0))) return meta;
    if (Date.now() > deadline) throw meta instanceof Error ? meta : new Error(`Kafka does not serve every partition of ${topics.join(', ')} yet`);
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}

async function count() {
  const admin = client(5000).admin();
  await admin.connect();
  try {
    const names = await admin.listTopics();
    console.log(names.filter((n) => !n.startsWith('__')).length);
  } finally {
    await admin.disconnect();
  }
}

try {
  if (cmd === 'probe') await probe();
  else if (cmd === 'wait') await wait();
  else if (cmd === 'topics') await topics(rest[0]);
  else if (cmd === 'count') await count();
  else if (cmd === 'list') console.log(wantedTopics(JSON.parse(readFileSync(rest[0], 'utf8'))).join('\n'));
  else {
    console.error('usage: kafka.mjs probe|wait|topics <file>|list <file>|count');
    process.exit(64);
  }
  process.exit(0);
} catch (err) {
  console.error(`${err?.name ?? 'Error'}: ${err?.message ?? err}`);
  process.exit(1);
}
