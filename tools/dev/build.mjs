// `nx run <app>:build`: compiles the app and the shared libs it may import with
// SWC (decorator metadata on, path aliases rewritten to relative paths) into
// dist/apps/<app>/. Run with `node dist/apps/<app>/apps/<app>/src/main.js`.
// Type checking is separate (`npm run typecheck`), so builds stay fast.
import { execFileSync } from 'node:child_process';
import { rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';

const require = createRequire(import.meta.url);
const { APPS } = require('./apps.js');
const { buildConsoleWeb } = require('./console-web.js');
const root = path.resolve(import.meta.dirname, '../..');

export function buildApp(app) {
  if (!APPS[app]) throw new Error(`unknown app ${app}`);
  const outDir = path.join(root, 'dist/apps', app);
  rmSync(outDir, { recursive: true, force: true });
  execFileSync(
    process.execPath,
    [
      path.join(root, 'node_modules/@swc/cli/bin/swc.js'),
      `apps/${app}/src`,
      'libs',
      '--out-dir',
      outDir,
      '--config-file',
      '.swcrc',
      '--copy-files',
      '--ignore',
      '**/*.spec.ts,**/test/**',
      '--quiet',
    ],
    { cwd: root, stdio: 'inherit' },
  );
  // The operator console's static files, where the built gateway looks for them (beside its source layout).
  if (app === 'gateway') buildConsoleWeb(path.join(outDir, 'apps/gateway/console-web/dist'));
  return path.join(outDir, 'apps', app, 'src/main.js');
}

if (import.meta.main) {
  const apps = process.argv.slice(2);
  for (const app of apps.length ? apps : Object.keys(APPS)) console.log(`built ${path.relative(root, buildApp(app))}`);
}
