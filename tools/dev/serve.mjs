// `nx run <app>:serve`: runs one app from source (SWC on the fly) with the
// local environment from tools/dev/apps.js; explicit env vars win.
import { spawn } from 'node:child_process';
import { createRequire } from 'node:module';
import path from 'node:path';

const require = createRequire(import.meta.url);
const { localEnv } = require('./apps.js');
const root = path.resolve(import.meta.dirname, '../..');
const app = process.argv[2];
// The gateway serves the operator console from its built files (apps/gateway/console-web/dist).
if (app === 'gateway') require('./console-web.js').buildConsoleWeb();

const child = spawn(process.execPath, ['-r', '@swc-node/register', `apps/${app}/src/main.ts`], {
  cwd: root,
  env: localEnv(app),
  stdio: 'inherit',
});
for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => child.kill('SIGTERM'));
child.on('exit', (code, signal) => process.exit(code ?? (signal ? 1 : 0)));
