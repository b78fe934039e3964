import { type AppProcess, migrateAppProcess, startAppProcess } from '@understudy/testing';

// eslint-disable-next-line @typescript-eslint/no-require-imports, @nx/enforce-module-boundaries -- the workspace table of app environments (a script, not a project)
const apps = require('../../../../tools/dev/apps.js') as {
  localEnv: (app: string, overrides?: Record<string, string>, base?: NodeJS.ProcessEnv) => NodeJS.ProcessEnv;
  LOCAL_CART_TOKEN_SECRET: string;
  LOCAL_ADMIN_TOKEN: string;
  LOCAL_ACCESS_TOKEN: string;
  LOCAL_SHOP: string;
};

export const { LOCAL_CART_TOKEN_SECRET, LOCAL_ADMIN_TOKEN, LOCAL_ACCESS_TOKEN, LOCAL_SHOP } = apps;

export type { AppProcess } from '@understudy/testing';

/** The environment tools/dev/apps.js gives `app`, with test overrides; quiet logs unless asked. */
export function appEnv(app: string, overrides: Record<string, string>): NodeJS.ProcessEnv {
  return apps.localEnv(app, { LOG_LEVEL: 'warn', NODE_ENV: 'test', HOST: '127.0.0.1', ...overrides }, { PATH: process.env['PATH'] });
}

export function migrateApp(app: string, overrides: Record<string, string>): Promise<void> {
  return migrateAppProcess(app, appEnv(app, overrides));
}

/** Starts the app's real entry point (its own process) on a free port and waits until `waitPath` answers 200. */
export function startApp(app: string, overrides: Record<string, string>, waitPath = '/health/live'): Promise<AppProcess> {
  return startAppProcess(app, appEnv(app, overrides), { waitPath });
}

export async function json<T = Record<string, unknown>>(
  url: string,
  method: 'GET' | 'POST' | 'PATCH' | 'PUT',
  body?: unknown,
  headers: Record<string, string> = {},
): Promise<{ status: number; body: T; headers: Headers; text: string }> {
  const response = await fetch(url, {
    method,
    headers: body === undefined ? headers : { 'content-type': 'application/json', ...headers },
    body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body),
  });
  const text = await response.text();
  let parsed: unknown;
  try {
    parsed = text ? JSON.parse(text) : undefined;
  } catch {
    parsed = text;
  }
  return { status: response.status, body: parsed as T, headers: response.headers, text };
}
