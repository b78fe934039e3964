import { randomUUID } from 'node:crypto';
import { type AddressInfo, createServer, type Server, type Socket } from 'node:net';
import { webhookHmac } from '@understudy/shopify';
import { type AppProcess, createTestDatabase, migrateAppProcess, startAppProcess, testEnv, type TestDatabase, uniqueName, waitFor } from '@understudy/testing';

const SHOP = 'outage-test.myshopify.com';
const SECRET = 'outage-secret';

/**
 * A real TCP server that accepts connections and never answers: a hung PostgreSQL or Kafka broker. On a
 * port the kernel picks, so two suites on one machine never collide.
 */
async function silentServer(): Promise<{ server: Server; port: number; close: () => Promise<void> }> {
  const sockets = new Set<Socket>();
  const server = createServer((socket) => {
    sockets.add(socket);
    socket.on('error', () => undefined);
  });
  await new Promise<void>((resolve, reject) => server.once('error', reject).listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    server,
    port,
    close: () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };
}

function signedWebhook() {
  const body = JSON.stringify({ inventory_item_id: Math.floor(Math.random() * 1e9) + 1, location_id: 1, available: 3, updated_at: new Date().toISOString() });
  return {
    body,
    headers: {
      'content-type': 'application/json',
      'x-shopify-topic': 'inventory_levels/update',
      'x-shopify-hmac-sha256': webhookHmac(body, SECRET),
      'x-shopify-shop-domain': SHOP,
      'x-shopify-api-version': '2026-10',
      'x-shopify-webhook-id': randomUUID(),
      'x-shopify-event-id': randomUUID(),
      'x-shopify-triggered-at': new Date().toISOString(),
    },
  };
}

const lines = (app: AppProcess, message: string) => app.output().split('\n').filter((line) => line.includes(`"msg":"${message}`)).length;

/** SIGTERM, then poll (generously) until it has exited; returns how. */
async function terminate(app: AppProcess) {
  process.kill(app.pid, 'SIGTERM');
  return waitFor(() => app.exitStatus(), { timeoutMs: 60_000, intervalMs: 200, what: `${app.app} to exit after SIGTERM` });
}

function baseEnv(overrides: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  return {
    ...process.env,
    HOST: '127.0.0.1',
    LOG_LEVEL: 'debug',
    REDIS_URL: testEnv().redisUrl,
    KAFKA_BROKERS: testEnv().kafkaBrokers.join(','),
    KAFKA_TOPIC_PREFIX: `${uniqueName('outage')}.`,
    SHOPIFY_SHOP: SHOP,
    SHOPIFY_WEBHOOK_SECRETS: SECRET,
    ...overrides,
  };
}

describe('webhook-ingest with a dependency that accepts connections and never answers (real processes)', () => {
  let app: AppProcess | undefined;
  let silent: Awaited<ReturnType<typeof silentServer>> | undefined;
  let database: TestDatabase | undefined;

  afterEach(async () => {
    if (app && !app.exitStatus()) process.kill(app.pid, 'SIGKILL');
    await app?.stop();
    await silent?.close();
    await database?.drop();
    app = silent = database = undefined;
  });

  it('PostgreSQL hung: the dedup outage is logged once, not per webhook, and SIGTERM exits 0', async () => {
    silent = await silentServer();
    app = await startAppProcess('webhook-ingest', baseEnv({ DATABASE_URL: `postgres://understudy:understudy@127.0.0.1:${silent.port}/hung` }), { timeoutMs: 120_000 });
    const webhooks = 20;
    for (let i = 0; i < webhooks; i++) {
      const { body, headers } = signedWebhook();
      const answer = await fetch(`${app.url}/webhooks/shopify`, { method: 'POST', body, headers });
      // 200, or 503 while neither a still-connecting Kafka nor the hung outbox can take it (Shopify retries).
      expect([200, 503]).toContain(answer.status);
    }
    // Each answer came after its two dedup claims failed: wait until all 40 failures are in the log
    // (a debug line each; before the fix each was a warning instead), then count the warnings.
    await waitFor(() => lines(app!, 'dedup claim failed') + lines(app!, 'dedup store unavailable') >= webhooks * 2, { timeoutMs: 60_000, what: 'every failed dedup claim logged' });
    for (let i = 0; i < 5; i++) await fetch(`${app.url}/health/ready`);
    expect(lines(app, 'dedup store unavailable')).toBe(1);

    const exit = await terminate(app);
    expect(exit).toEqual({ code: 0, signal: null });
    expect(lines(app, 'shutdown complete')).toBe(1);
  });

  it('Kafka hung, a webhook in the outbox: SIGTERM exits 0', async () => {
    silent = await silentServer();
    database = await createTestDatabase('ingest_outage');
    const env = baseEnv({ DATABASE_URL: database.url, KAFKA_BROKERS: `127.0.0.1:${silent.port}`, KAFKA_PUBLISH_TIMEOUT_MS: '500' });
    await migrateAppProcess('webhook-ingest', env);
    app = await startAppProcess('webhook-ingest', env, { timeoutMs: 120_000 });
    // One webhook goes to the outbox (Kafka does not acknowledge), so the relay has something to fail on.
    const { body, headers } = signedWebhook();
    expect((await fetch(`${app.url}/webhooks/shopify`, { method: 'POST', body, headers })).status).toBe(200);
    expect(lines(app, 'Kafka unavailable; webhooks go to the PostgreSQL outbox')).toBe(1);

    const exit = await terminate(app);
    expect(exit).toEqual({ code: 0, signal: null });
    expect(lines(app, 'shutdown complete')).toBe(1);
  });
});
