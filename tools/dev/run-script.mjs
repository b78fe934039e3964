// `node tools/dev/run-script.mjs <app> <file.ts> [args…]`: runs a TypeScript entry
// point of an app (e.g. a one-off command) from source with that app's local env.
import { spawnSync } from 'node:child_process';
import { createRequire } from 'node:module';
import path from 'node:path';

const require = createRequire(import.meta.url);
const { localEnv } = require('./apps.js');
const root = path.resolve(import.meta.dirname, '../..');
const [app, file, ...args] = process.argv.slice(2);
const { status } = spawnSync(process.execPath, ['-r', '@swc-node/register', file, ...args], { cwd: root, env: localEnv(app), stdio: 'inherit' });
process.exit(status ?? 1);
