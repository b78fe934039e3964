import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { type AppProcess, migrateAppProcess, startAppProcess } from '@understudy/testing';

// eslint-disable-next-line @typescript-eslint/no-require-imports -- the workspace table of app environments (a CommonJS script)
const apps = require('../../dev/apps.js') as {
  localEnv: (app: string, overrides?: Record<string, string>, base?: NodeJS.ProcessEnv) => NodeJS.ProcessEnv;
  LOCAL_SHOP: string;
  LOCAL_WEBHOOK_SECRET: string;
  LOCAL_CART_TOKEN_SECRET: string;
  LOCAL_ADMIN_TOKEN: string;
  LOCAL_ACCESS_TOKEN: string;
};

export const { LOCAL_SHOP, LOCAL_WEBHOOK_SECRET, LOCAL_CART_TOKEN_SECRET, LOCAL_ADMIN_TOKEN, LOCAL_ACCESS_TOKEN } = apps;

/**
 * An app's laptop environment (tools/dev/apps.js) pointed at the lab: every
 * dependency named in `overrides`, nothing inherited from this shell, and no
 * background calls to the `npm start` ports (ingest's subscription bootstrap).
 */
export function labEnv(app: string, overrides: Record<string, string>): NodeJS.ProcessEnv {
  const env = apps.localEnv(app, { LOG_LEVEL: 'warn', NODE_ENV: 'test', HOST: '127.0.0.1', OTEL_SDK_DISABLED: 'true', ...overrides }, { PATH: process.env['PATH'] });
  if (app === 'webhook-ingest') for (const name of ['WEBHOOK_CALLBACK_URL', 'SHOPIFY_ACCESS_TOKEN', 'SHOPIFY_ADMIN_URL']) if (!(name in overrides)) delete env[name];
  return env;
}

/** A restartable app process on a fixed port: kill it (SIGKILL, a crash) and bring it back where its clients expect it. */
export class LabApp {
  process!: AppProcess;

  constructor(
    readonly app: string,
    readonly port: number,
    readonly env: NodeJS.ProcessEnv,
    private readonly waitPath = '/health/ready',
  ) {}

  static async start(app: string, port: number, env: NodeJS.ProcessEnv, options: { migrate?: boolean; waitPath?: string } = {}): Promise<LabApp> {
    if (options.migrate !== false && env['DATABASE_URL']) await migrateAppProcess(app, env);
    const labApp = new LabApp(app, port, env, options.waitPath);
    await labApp.start();
    return labApp;
  }

  get url(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  async start(): Promise<void> {
    if (this.process) this.logs.push(this.process.output());
    this.process = await startAppProcess(this.app, this.env, { port: this.port, waitPath: this.waitPath, timeoutMs: 180_000 });
  }

  /** SIGKILL: no shutdown hooks, in-flight requests cut, nothing flushed. */
  async kill(): Promise<void> {
    const { pid } = this.process;
    try {
      process.kill(pid, 'SIGKILL');
    } catch {
      return;
    }
    await this.process.stop(); // resolves on the exit event; SIGTERM to a dead pid is ignored
  }

  /** Stops it and keeps everything it printed, in every run it had, in tmp/faults/logs/ (for the report of a failed run). */
  async stop(): Promise<void> {
    await this.process?.stop();
    this.saveLog();
  }

  private readonly logs: string[] = [];

  private saveLog(): void {
    if (this.process) this.logs.push(this.process.output());
    mkdirSync(logsDir, { recursive: true });
    writeFileSync(path.join(logsDir, `${this.app}-${this.port}.log`), this.logs.join('\n----- restarted -----\n'));
  }
}

const logsDir = path.resolve(__dirname, '../../../tmp/faults/logs');
