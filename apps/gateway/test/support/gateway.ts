import { loadConfig } from '@understudy/config';
import { createDataSource, runMigrations } from '@understudy/database';
import { createService, type RunningService } from '@understudy/platform';
import { waitFor } from '@understudy/testing';
import { type Config, configSchema } from '../../src/config';
import { gatewayService } from '../../src/gateway';
import { migrations } from '../../src/migrations';
import { appEnv, json, LOCAL_ADMIN_TOKEN } from './processes';

export const ADMIN = { authorization: `Bearer ${LOCAL_ADMIN_TOKEN}` };

export async function migrateGateway(databaseUrl: string): Promise<void> {
  const dataSource = createDataSource({ url: databaseUrl, migrations });
  await dataSource.initialize();
  try {
    await runMigrations(dataSource);
  } finally {
    await dataSource.destroy();
  }
}

export interface RunningGateway {
  readonly url: string;
  readonly config: Config;
  readonly service: RunningService;
  stop(): Promise<void>;
}

/** The gateway in this process (same modules as main.ts), on a free port, once its route configuration is loaded. */
export async function startGateway(overrides: Record<string, string>): Promise<RunningGateway> {
  const config = loadConfig(configSchema, appEnv('gateway', { LOG_LEVEL: 'silent', ...overrides }) as Record<string, string>);
  const service = await createService(gatewayService(config));
  await service.app.listen(0, '127.0.0.1');
  const url = (await service.app.getUrl()).replace('[::1]', '127.0.0.1').replace('localhost', '127.0.0.1');
  await waitFor(async () => (await fetch(`${url}/health/ready`)).status === 200, { timeoutMs: 20_000, what: 'the gateway to load its routes' });
  return { url, config, service, stop: () => service.app.close() };
}

export interface RouteView {
  name: string;
  version: number;
  mode: string;
  shadowPercent: number;
  learnedIgnore: string[];
  breakers: { monolith: string; module: string };
  shadowBreakers?: { monolith: string; module: string };
  config: Record<string, unknown>;
}

export async function route(url: string, name: string): Promise<RouteView> {
  const answer = await json<RouteView>(`${url}/admin/routes/${name}`, 'GET', undefined, ADMIN);
  if (answer.status !== 200) throw new Error(`GET route ${name}: ${answer.status} ${answer.text}`);
  return answer.body;
}

/** PATCHes a route with the version it has now. */
export async function configure(url: string, name: string, changes: Record<string, unknown>): Promise<RouteView> {
  const { version } = await route(url, name);
  const answer = await json<RouteView>(`${url}/admin/routes/${name}`, 'PATCH', { version, reason: 'test', ...changes }, ADMIN);
  if (answer.status !== 200) throw new Error(`PATCH route ${name}: ${answer.status} ${answer.text}`);
  return answer.body;
}

export interface Report {
  overall: {
    counts: Record<'match' | 'mismatch' | 'error' | 'timeout' | 'skipped', number>;
    samples: number;
    matchRate: number;
    moduleCalls: number;
    moduleFailures: number;
    latency: Record<'primary' | 'shadow' | 'module', { count: number; p50?: number; p99?: number }>;
    mismatchPaths: Array<{ path: string; count: number; examples: unknown[] }>;
  };
  segments: Record<string, unknown>;
  noise: { observations: number; learnedIgnore: string[] } | null;
  breakers: { monolith: string; module: string };
}

export async function report(url: string, name: string): Promise<Report> {
  return (await json<Report>(`${url}/admin/routes/${name}/report`, 'GET', undefined, ADMIN)).body;
}
