import { type ChildProcess, execFile, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { Kafka, logLevel } from 'kafkajs';
import { freePort, waitFor } from './wait';

/**
 * A private single-node KRaft Kafka broker (broker + controller in one JVM),
 * from the Apache Kafka jars in `libsDir` (`bash tools/infra/infra.sh kafka-libs`
 * fetches them), for tests that kill and restart the broker without touching
 * the shared one. Its data directory survives `kill()`/`start()`, as a real
 * broker's disk survives a crash.
 */
export class KafkaBroker {
  private process: ChildProcess | undefined;
  private log = '';

  private constructor(
    readonly port: number,
    private readonly controllerPort: number,
    private readonly libsDir: string,
    private readonly dir: string,
  ) {}

  static async start(libsDir: string, options: { port?: number; controllerPort?: number } = {}): Promise<KafkaBroker> {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'understudy-kafka-'));
    const broker = new KafkaBroker(options.port ?? (await freePort()), options.controllerPort ?? (await freePort()), libsDir, dir);
    writeFileSync(broker.properties, broker.config());
    try {
      await broker.format();
      await broker.start();
    } catch (error) {
      await broker.stop();
      throw error;
    }
    return broker;
  }

  private async format(): Promise<void> {
    await promisify(execFile)('java', ['-Xmx256m', '-cp', `${this.libsDir}/*`, 'kafka.tools.StorageTool', 'format', `--cluster-id=${randomBytes(16).toString('base64url')}`, '-c', this.properties], { timeout: 120_000 });
  }

  get brokers(): string[] {
    return [`127.0.0.1:${this.port}`];
  }

  private get properties(): string {
    return path.join(this.dir, 'server.properties');
  }

  private config(): string {
    return [
      'process.roles=broker,controller',
      'node.id=1',
      `controller.quorum.voters=1@127.0.0.1:${this.controllerPort}`,
      'controller.listener.names=CONTROLLER',
      'inter.broker.listener.name=PLAINTEXT',
      'listener.security.protocol.map=CONTROLLER:PLAINTEXT,PLAINTEXT:PLAINTEXT',
      `listeners=PLAINTEXT://127.0.0.1:${this.port},CONTROLLER://127.0.0.1:${this.controllerPort}`,
      `advertised.listeners=PLAINTEXT://127.0.0.1:${this.port}`,
      `log.dirs=${path.join(this.dir, 'data')}`,
      'auto.create.topics.enable=false',
      'num.partitions=3',
      'offsets.topic.replication.factor=1',
      'offsets.topic.num.partitions=3',
      'transaction.state.log.replication.factor=1',
      'transaction.state.log.min.isr=1',
      'share.coordinator.state.topic.replication.factor=1',
      'share.coordinator.state.topic.min.isr=1',
      'group.initial.rebalance.delay.ms=0',
      'num.recovery.threads.per.data.dir=1',
      '',
    ].join('\n');
  }

  /** Starts the JVM (again, after `kill()`) and waits until the broker answers describeCluster. */
  async start(): Promise<void> {
    this.log = '';
    const child = spawn(
      'java',
      ['-Xms128m', '-Xmx512m', '-XX:+UseG1GC', '-Djava.awt.headless=true', `-Dkafka.logs.dir=${path.join(this.dir, 'logs')}`, '-cp', `${this.libsDir}/*`, 'kafka.Kafka', this.properties],
      { stdio: ['ignore', 'pipe', 'pipe'] },
    );
    const keep = (chunk: Buffer) => {
      this.log = (this.log + chunk.toString()).slice(-20_000);
    };
    child.stdout!.on('data', keep);
    child.stderr!.on('data', keep);
    this.process = child;
    // A JVM that exits while starting (a port taken, bad storage) fails the start at once, with its log.
    const exited = new Promise<never>((_, reject) => child.once('exit', (code) => reject(new Error(`kafka exited ${code}: ${this.log.slice(-3_000)}`))));
    exited.catch(() => undefined);
    await Promise.race([
      exited,
      waitFor(
        async () => {
          const admin = this.client().admin();
          try {
            await admin.connect();
            return (await admin.describeCluster()).brokers.length > 0;
          } finally {
            await admin.disconnect().catch(() => undefined);
          }
        },
        { timeoutMs: 120_000, intervalMs: 500, what: `the private Kafka broker on port ${this.port}` },
      ),
    ]);
  }

  client(clientId = 'fault-suite'): Kafka {
    return new Kafka({ clientId, brokers: this.brokers, logLevel: logLevel.NOTHING, connectionTimeout: 3_000, requestTimeout: 10_000, retry: { retries: 2 } });
  }

  async createTopics(names: string[], partitions = 3): Promise<void> {
    const admin = new Kafka({ clientId: 'fault-suite', brokers: this.brokers, logLevel: logLevel.NOTHING, retry: { retries: 8 } }).admin();
    await admin.connect();
    try {
      await admin.createTopics({ waitForLeaders: true, topics: names.map((topic) => ({ topic, numPartitions: partitions, replicationFactor: 1 })) });
    } finally {
      await admin.disconnect();
    }
  }

  /** A crash (SIGKILL): no controlled shutdown; what the OS had written stays on disk. */
  async kill(): Promise<void> {
    const child = this.process;
    // A child killed by a signal has exitCode null and signalCode set: already gone, no 'exit' to wait for.
    if (!child || child.exitCode !== null || child.signalCode !== null) return;
    const exited = new Promise((resolve) => child.once('exit', resolve));
    child.kill('SIGKILL');
    await exited;
  }

  async stop(): Promise<void> {
    await this.kill();
    rmSync(this.dir, { recursive: true, force: true });
  }
}
