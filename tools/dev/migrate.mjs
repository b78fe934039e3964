// `npm run migrate [app…]` / `nx run <app>:migrate`: applies pending migrations
// by running the app's own entry point with --migrate (same config validation
// as the service itself).
import { execFileSync } from 'node:child_process';
import { createRequire } from 'node:module';
import path from 'node:path';

const require = createRequire(import.meta.url);
const { APPS, localEnv } = require('./apps.js');
const root = path.resolve(import.meta.dirname, '../..');
const apps = process.argv.slice(2);

for (const app of apps.length ? apps : Object.keys(APPS).filter((name) => APPS[name].postgres)) {
  execFileSync(process.execPath, ['-r', '@swc-node/register', `apps/${app}/src/main.ts`, '--migrate'], {
    cwd: root,
    env: localEnv(app),
    stdio: 'inherit',
  });
}
