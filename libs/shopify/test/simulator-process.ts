import { type ChildProcess, spawn } from 'node:child_process';
import path from 'node:path';
import { freePort, waitFor } from '@understudy/testing';

const root = path.resolve(__dirname, '../../..');

export interface SimulatorProcess {
  url: string;
  pid: number;
  control<T = unknown>(method: 'GET' | 'POST' | 'PUT', route: string, body?: unknown): Promise<T>;
  stop(): Promise<void>;
}

/**
 * Runs apps/shopify-sim as its own process (libs may not import apps, and a
 * separate heap keeps memory measurements honest), on a free port.
 */
export async function startSimulatorProcess(env: Record<string, string> = {}): Promise<SimulatorProcess> {
  const port = await freePort();
  const child: ChildProcess = spawn(process.execPath, ['-r', '@swc-node/register', 'apps/shopify-sim/src/main.ts'], {
    cwd: root,
    env: { ...process.env, PORT: String(port), HOST: '127.0.0.1', LOG_LEVEL: 'warn', SIM_SEED_VARIANTS: '0', NODE_ENV: 'test', ...env },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  const url = `http://127.0.0.1:${port}`;
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  await waitFor(async () => (await fetch(`${url}/health/live`).catch(() => undefined))?.ok, { timeoutMs: 60_000, what: 'the simulator to start' });
  return {
    url,
    pid: child.pid!,
    async control<T>(method: 'GET' | 'POST' | 'PUT', route: string, body?: unknown): Promise<T> {
      const response = await fetch(`${url}${route}`, {
        method,
        headers: body === undefined ? {} : { 'content-type': 'application/json' },
        body: body === undefined ? undefined : JSON.stringify(body),
      });
      if (!response.ok) throw new Error(`${method} ${route} → ${response.status} ${await response.text()}`);
      return (await response.json()) as T;
    },
    async stop() {
      child.kill('SIGTERM');
      await exited;
    },
  };
}
