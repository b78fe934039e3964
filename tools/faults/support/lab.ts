import { execFileSync } from 'node:child_process';
import path from 'node:path';
import { freePort, KafkaBroker, PostgresCluster, RedisServer, Toxiproxy } from '@understudy/testing';
import { createServer } from 'node:net';

const root = path.resolve(__dirname, '../../..');

/**
 * Ports for everything the suite starts: free ports from FAULTS_PORT_RANGE
 * (`41700-41799`) when set — so a shared machine's agents keep to their own
 * ranges — else any free port. Never hands one out twice.
 */
export function portAllocator(range = process.env['FAULTS_PORT_RANGE']): () => Promise<number> {
  const handedOut = new Set<number>();
  const bounds = range ? range.split('-').map(Number) : undefined;
  if (bounds && !(bounds.length === 2 && bounds.every(Number.isInteger) && bounds[0]! < bounds[1]!)) throw new Error(`FAULTS_PORT_RANGE must look like 41700-41799, got ${range}`);
  return async () => {
    if (!bounds) {
      for (;;) {
        const port = await freePort();
        if (!handedOut.has(port)) return handedOut.add(port), port;
      }
    }
    for (let port = bounds[0]!; port <= bounds[1]!; port++) {
      if (!handedOut.has(port) && (await isFree(port))) return handedOut.add(port), port;
    }
    throw new Error(`no free port left in FAULTS_PORT_RANGE ${range}`);
  };
}

function isFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const server = createServer();
    server.once('error', () => resolve(false));
    server.listen(port, '127.0.0.1', () => server.close(() => resolve(true)));
  });
}

/**
 * A port found free can be taken by someone's outgoing connection before the JVM binds it (the
 * range is inside the ephemeral range): a broker that could not bind is started again on others.
 */
async function startBroker(libs: string, port: () => Promise<number>): Promise<KafkaBroker> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await KafkaBroker.start(libs, { port: await port(), controllerPort: await port() });
    } catch (error) {
      if (attempt === 3 || !/BindException|Address already in use|Unable to start acceptor/.test(String(error))) throw error;
    }
  }
}

/** The project's own installers: toxiproxy (go install, pinned) and the Kafka jars (Maven), each once. */
function tool(script: string, args: string[] = []): string {
  const output = execFileSync('bash', [path.join(root, script), ...args], { cwd: root, encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'], timeout: 600_000 });
  return output.trim().split('\n').at(-1)!;
}

export interface LabOptions {
  kafka?: boolean;
}

/**
 * Private infrastructure for one fault-suite file: its own PostgreSQL cluster,
 * Redis, Kafka broker and toxiproxy, so breaking them never touches the shared
 * servers other work is using.
 */
export class Lab {
  readonly port = portAllocator();
  pg!: PostgresCluster;
  redis!: RedisServer;
  kafka: KafkaBroker | undefined;
  toxiproxy!: Toxiproxy;

  static async start(options: LabOptions = {}): Promise<Lab> {
    const lab = new Lab();
    try {
      const toxiproxyBinary = tool('tools/faults/install-toxiproxy.sh');
      const kafkaLibs = options.kafka === false ? undefined : tool('tools/infra/infra.sh', ['kafka-libs']);
      lab.toxiproxy = await Toxiproxy.start(toxiproxyBinary, lab.port);
      lab.pg = await PostgresCluster.start({ port: await lab.port() });
      lab.redis = await RedisServer.start({ port: await lab.port() });
      if (kafkaLibs) lab.kafka = await startBroker(kafkaLibs, lab.port);
      return lab;
    } catch (error) {
      await lab.stop();
      throw error;
    }
  }

  get brokers(): string {
    if (!this.kafka) throw new Error('this lab has no Kafka broker');
    return this.kafka.brokers.join(',');
  }

  async stop(): Promise<void> {
    await this.kafka?.stop().catch(() => undefined);
    await this.redis?.stop().catch(() => undefined);
    await this.pg?.stop().catch(() => undefined);
    await this.toxiproxy?.stop().catch(() => undefined);
  }
}
