import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { loadConfig } from '@understudy/config';
import { createSimulatorService } from '../src/app';
import { configSchema } from '../src/config';
import type { Simulator } from '../src/simulator';

export const TOKEN = 'shpat_sim_test';
export const SECRET = 'sim-test-app-secret';
export const SHOP = 'sim-test.myshopify.com';

export interface RunningSimulator {
  url: string;
  simulator: Simulator;
  graphql<T = Record<string, unknown>>(
    query: string,
    variables?: Record<string, unknown>,
    options?: { version?: string; token?: string | null },
  ): Promise<{ status: number; body: { data?: T; errors?: unknown; extensions?: { cost: Cost } } & Record<string, unknown> }>;
  control<T = unknown>(method: 'GET' | 'POST' | 'PUT' | 'DELETE', route: string, body?: unknown): Promise<{ status: number; body: T }>;
  close(): Promise<void>;
}

export interface Cost {
  requestedQueryCost: number;
  actualQueryCost: number | null;
  throttleStatus: { maximumAvailable: number; currentlyAvailable: number; restoreRate: number };
}

/** The simulator in-process, on a free port, the way main.ts builds it. */
export async function startSimulator(env: Record<string, string> = {}): Promise<RunningSimulator> {
  // PORT is validated but unused: the test listens on port 0 below.
  const config = loadConfig(configSchema, {
    PORT: '3100',
    HOST: '127.0.0.1',
    LOG_LEVEL: 'silent',
    SIM_SHOP: SHOP,
    SIM_APP_SECRET: SECRET,
    SIM_ACCESS_TOKENS: TOKEN,
    SIM_SEED_VARIANTS: '2000',
    SIM_SEED_LOCATIONS: '3',
    SIM_SEED_COMPANIES: '10',
    ...env,
  });
  const service = await createSimulatorService(config);
  await service.app.listen(0, '127.0.0.1');
  const url = (await service.app.getUrl()).replace('[::1]', '127.0.0.1');
  return {
    url,
    simulator: service.simulator,
    async graphql(query, variables, options = {}) {
      const headers: Record<string, string> = { 'content-type': 'application/json' };
      const token = options.token === undefined ? TOKEN : options.token;
      if (token !== null) headers['x-shopify-access-token'] = token;
      const response = await fetch(`${url}/admin/api/${options.version ?? '2026-10'}/graphql.json`, {
        method: 'POST',
        headers,
        body: JSON.stringify({ query, variables }),
      });
      return { status: response.status, body: (await response.json()) as never };
    },
    async control(method, route, body) {
      const response = await fetch(`${url}${route}`, {
        method,
        headers: body === undefined ? {} : { 'content-type': 'application/json' },
        body: body === undefined ? undefined : JSON.stringify(body),
      });
      const text = await response.text();
      return { status: response.status, body: (text ? JSON.parse(text) : undefined) as never };
    },
    close: () => service.app.close(),
  };
}

export interface ReceivedWebhook {
  at: number;
  headers: IncomingMessage['headers'];
  rawBody: Buffer;
  body: Record<string, unknown>;
}

/** A local webhook receiver that answers with whatever `respond` says. */
export async function startReceiver(
  respond: (request: IncomingMessage, rawBody: Buffer, response: ServerResponse) => Promise<number> | number = () => 200,
): Promise<{ url: string; received: ReceivedWebhook[]; close(): Promise<void>; server: Server }> {
  const received: ReceivedWebhook[] = [];
  const server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', async () => {
      const rawBody = Buffer.concat(chunks);
      received.push({ at: Date.now(), headers: request.headers, rawBody, body: JSON.parse(rawBody.toString() || '{}') });
      const status = await respond(request, rawBody, response);
      if (!response.headersSent) {
        response.statusCode = status;
        if (status >= 300 && status < 400) response.setHeader('location', 'http://127.0.0.1:1/elsewhere');
        response.end();
      }
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/webhooks`,
    received,
    server,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

export const SUBSCRIBE = `mutation Subscribe($topic: WebhookSubscriptionTopic!, $uri: String!) {
  webhookSubscriptionCreate(topic: $topic, webhookSubscription: { uri: $uri, format: JSON }) {
    webhookSubscription { id topic uri }
    userErrors { field message }
  }
}`;

/**
 * One simulator per test file, started before the first test, reset before each
 * and closed after the last; `started` receives it (tests keep it in a `let`).
 */
export function useSimulator(started: (sim: RunningSimulator) => void): void {
  let sim: RunningSimulator | undefined;
  beforeAll(async () => {
    sim = await startSimulator();
    started(sim);
  });
  afterAll(async () => {
    await sim?.close();
  });
  beforeEach(async () => {
    await sim!.control('POST', '/_sim/reset');
  });
}
