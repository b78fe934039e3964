// Builds the gateway's operator console (apps/gateway/console-web) into static
// files the gateway serves at /console: index.html and console.css as they
// are, each src/*.ts compiled by SWC to a browser ES module under js/. No
// bundler and nothing fetched: the page loads only files from the gateway.
// Used by `nx run gateway:build` (build.mjs), `npm start` and the browser test.
const { mkdirSync, readdirSync, copyFileSync, writeFileSync, rmSync } = require('node:fs');
const path = require('node:path');

const root = path.resolve(__dirname, '../..');
const source = path.join(root, 'apps/gateway/console-web');
/** Where the gateway looks by default when run from source (see apps/gateway/src/console/console-assets.ts). */
const DEFAULT_OUT_DIR = path.join(source, 'dist');

function buildConsoleWeb(outDir = DEFAULT_OUT_DIR) {
  const { transformFileSync } = require('@swc/core');
  rmSync(outDir, { recursive: true, force: true });
  mkdirSync(path.join(outDir, 'js'), { recursive: true });
  for (const file of ['index.html', 'console.css']) copyFileSync(path.join(source, file), path.join(outDir, file));
  for (const file of readdirSync(path.join(source, 'src'))) {
    if (!file.endsWith('.ts') || file.endsWith('.spec.ts') || file.endsWith('.d.ts')) continue;
    const { code } = transformFileSync(path.join(source, 'src', file), {
      swcrc: false,
      jsc: { parser: { syntax: 'typescript' }, target: 'es2022' },
      module: { type: 'es6' },
      sourceMaps: false,
    });
    writeFileSync(path.join(outDir, 'js', file.replace(/\.ts$/, '.js')), code);
  }
  return outDir;
}

module.exports = { buildConsoleWeb, DEFAULT_OUT_DIR };

if (require.main === module) console.log(`built ${path.relative(root, buildConsoleWeb(process.argv[2] ? path.resolve(process.argv[2]) : undefined))}`);
