import { type ChildProcess, spawn } from 'node:child_process';
import path from 'node:path';
import { freePort, waitFor } from './wait';

const root = path.resolve(__dirname, '../../..');

// freePort() closes its probe socket at once, so two apps started together could be handed the
// same port; never hand out a port twice from this process.
const handedOut = new Set<number>();
async function reservePort(): Promise<number> {
  for (;;) {
    const port = await freePort();
    if (!handedOut.has(port)) {
      handedOut.add(port);
      return port;
    }
  }
}

export interface AppProcess {
  readonly app: string;
  readonly url: string;
  readonly port: number;
  readonly pid: number;
  /** Everything the process printed (the last 100 kB or so). */
  output(): string;
  /** How it exited (`code` null when a signal ended it), or undefined while it runs. */
  exitStatus(): { code: number | null; signal: NodeJS.Signals | null } | undefined;
  /** SIGTERM, then wait for the exit. */
  stop(): Promise<void>;
}

/**
 * An app from its real entry point (`apps/<app>/src/main.ts`, compiled on the
 * fly) in its own process — for tests whose subject talks to other apps,
 * which it may not import. `env` is the whole environment (build it with
 * tools/dev/apps.js `localEnv`); its PORT is replaced by a free port, or by
 * `options.port` (to restart an app where its clients expect it).
 */
export async function startAppProcess(
  app: string,
  env: NodeJS.ProcessEnv,
  options: { port?: number; waitPath?: string; timeoutMs?: number } = {},
): Promise<AppProcess> {
  const port = options.port ?? (await reservePort());
  const { child, output } = spawnApp(app, { ...env, PORT: String(port) });
  const url = `http://127.0.0.1:${port}`;
  let status: { code: number | null; signal: NodeJS.Signals | null } | undefined;
  const exited = new Promise<void>((resolve) =>
    child.once('exit', (code, signal) => {
      status = { code, signal };
      resolve();
    }),
  );
  let dead = false;
  void exited.then(() => (dead = true));
  const waitPath = options.waitPath ?? '/health/live';
  await waitFor(
    async () => {
      if (dead) throw new Error(`${app} exited`);
      return (await fetch(`${url}${waitPath}`).catch(() => undefined))?.status === 200;
    },
    { timeoutMs: options.timeoutMs ?? 180_000, intervalMs: 200, what: `${app} on ${url}${waitPath}` },
  ).catch((error: unknown) => {
    child.kill('SIGKILL');
    throw new Error(`${String(error)}\n${output().slice(-5_000)}`);
  });
  return {
    app,
    url,
    port,
    pid: child.pid!,
    output,
    exitStatus: () => status,
    async stop() {
      if (!dead) child.kill('SIGTERM');
      await exited;
    },
  };
}

/** `node main.ts --migrate` with `env`; rejects with the output when it does not exit 0. */
export async function migrateAppProcess(app: string, env: NodeJS.ProcessEnv): Promise<void> {
  const { child, output } = spawnApp(app, env, ['--migrate']);
  const code = await new Promise<number | null>((resolve) => child.once('exit', resolve));
  if (code !== 0) throw new Error(`${app} --migrate exited ${code}:\n${output()}`);
}

function spawnApp(app: string, env: NodeJS.ProcessEnv, args: string[] = []): { child: ChildProcess; output: () => string } {
  let output = '';
  const child = spawn(process.execPath, ['-r', '@swc-node/register', `apps/${app}/src/main.ts`, ...args], { cwd: root, env, stdio: ['ignore', 'pipe', 'pipe'] });
  const keep = (chunk: Buffer) => {
    output += chunk.toString();
    if (output.length > 200_000) output = output.slice(-100_000);
  };
  child.stdout!.on('data', keep);
  child.stderr!.on('data', keep);
  return { child, output: () => output };
}
