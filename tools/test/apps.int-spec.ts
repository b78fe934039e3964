import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import path from 'node:path';
import { createTestDatabase, freePort, openApiProblems, type TestDatabase, waitFor } from '@understudy/testing';

/**
 * Every app boots from its real entry point against the real infrastructure,
 * serves the four platform endpoints, and exits 0 on SIGTERM; a missing
 * variable stops it with the variable's name.
 */
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { APPS, localEnv } = require('../dev/apps.js') as {
  APPS: Record<string, { port: number; postgres: boolean; redis: boolean; kafka: boolean }>;
  localEnv: (app: string, overrides?: Record<string, string>) => NodeJS.ProcessEnv;
};

const root = path.resolve(__dirname, '../..');

function startApp(app: string, env: NodeJS.ProcessEnv): { child: ChildProcess; output: () => string } {
  let output = '';
  const child = spawn(process.execPath, ['-r', '@swc-node/register', `apps/${app}/src/main.ts`], { cwd: root, env, stdio: ['ignore', 'pipe', 'pipe'] });
  child.stdout!.on('data', (chunk) => (output += chunk));
  child.stderr!.on('data', (chunk) => (output += chunk));
  return { child, output: () => output };
}

function exitOf(child: ChildProcess): Promise<{ code: number | null; signal: NodeJS.Signals | null }> {
  if (child.exitCode !== null) return Promise.resolve({ code: child.exitCode, signal: null });
  return new Promise((resolve) => child.once('exit', (code, signal) => resolve({ code, signal })));
}

describe.each(Object.keys(APPS))('app %s', (app) => {
  let database: TestDatabase | undefined;
  afterAll(async () => database?.drop());

  it('boots, is ready on its real dependencies, serves its platform endpoints and stops cleanly on SIGTERM', async () => {
    const port = await freePort();
    const overrides: Record<string, string> = { PORT: String(port), LOG_LEVEL: 'info' };
    if (APPS[app]!.postgres) {
      // Its own empty database, migrated by the app's own entry point, as a deployment would.
      database = await createTestDatabase(`boot_${app.replace(/-/g, '_')}`);
      overrides['DATABASE_URL'] = database.url;
      execFileSync(process.execPath, ['-r', '@swc-node/register', `apps/${app}/src/main.ts`, '--migrate'], { cwd: root, env: localEnv(app, overrides) });
    }
    const { child, output } = startApp(app, localEnv(app, overrides));
    const base = `http://127.0.0.1:${port}`;
    try {
      const ready = await waitFor(
        async () => {
          const response = await fetch(`${base}/health/ready`);
          return response.status === 200 ? ((await response.json()) as { info: Record<string, { status: string }> }) : undefined;
        },
        { timeoutMs: 60_000, what: `${app} to be ready` },
      );
      const spec = APPS[app]!;
      const expected = [spec.postgres && 'postgres', spec.redis && 'redis', spec.kafka && 'kafka'].filter(Boolean);
      // Every real dependency is checked (an app may report more, e.g. ingest's delivery path).
      expect(Object.keys(ready.info)).toEqual(expect.arrayContaining(expected as string[]));
      for (const name of expected as string[]) expect(ready.info[name]).toMatchObject({ status: 'up' });

      expect((await fetch(`${base}/health/live`)).status).toBe(200);
      const metrics = await (await fetch(`${base}/metrics`)).text();
      expect(metrics).toContain(`service="${app}"`);
      const openApi = (await (await fetch(`${base}/openapi.json`)).json()) as { openapi: string; paths: Record<string, unknown> };
      // A document tools accept: OpenAPI 3.1 (whose schemas are JSON Schema 2020-12, as zod emits), valid by the OAS schema.
      expect(openApi.openapi).toBe('3.1.0');
      expect(await openApiProblems(openApi)).toEqual([]);
      expect(openApi.paths['/health/ready']).toBeDefined();
    } finally {
      child.kill('SIGTERM');
    }
    const { code } = await exitOf(child);
    expect({ code, log: code === 0 ? '' : output() }).toEqual({ code: 0, log: '' });
    expect(output()).toContain('shutdown complete');
  });
});

describe('configuration errors', () => {
  it('stops an app whose required variable is missing, naming the variable', async () => {
    const env = localEnv('inventory');
    delete env['DATABASE_URL'];
    const { child, output } = startApp('inventory', env);
    const { code } = await exitOf(child);
    expect(code).toBe(78);
    expect(output()).toContain('DATABASE_URL is required but not set');
  });

  it('stops an app whose variable is malformed, naming it', async () => {
    const { child, output } = startApp('webhook-ingest', localEnv('webhook-ingest', { KAFKA_BROKERS: 'not a broker list', PORT: '99999' }));
    const { code } = await exitOf(child);
    expect(code).toBe(78);
    expect(output()).toMatch(/KAFKA_BROKERS is invalid/);
    expect(output()).toMatch(/PORT is invalid/);
  });
});
