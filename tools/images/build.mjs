// `npm run images`: every service image built and smoke-run without a Docker engine.
//   1. base: Node 24's binary from the npm `node` package plus the shared libraries it links,
//      a passwd entry for uid 10001 and /tmp, committed as localhost/understudy/node24-base
//      (rebuilt only when the Node version changes);
//   2. context: dist/apps/<app> (tools/dev/build.mjs) and production node_modules
//      (`npm ci --omit=dev` into tmp/images/context, from the same lockfile);
//   3. the runtime image (images/Containerfile.runtime: base + node_modules), built once and
//      shared by all seven (rebuilt when the lockfile changes), then `buildah build -f
//      images/Containerfile --build-arg APP=<app>` per service: a small layer of built JS each;
//   4. smoke run per image: `podman run` (host network, read-only root, uid 10001) with a port in
//      41500–41599 and the shared PostgreSQL/Redis/Kafka, GET /health/live → 200, then SIGTERM
//      (`podman stop`) → exit code 0;
//   5. export: one OCI image layout holding all seven (their shared layers stored once), packed as
//      dist/images/understudy-<version>.oci.tar; `skopeo copy oci-archive:…:<app>-<version> …` or
//      `podman load` reads it.
// Prints each step's time, the image sizes, and `N passed, N failed`.
import { execFileSync, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { chmodSync, copyFileSync, mkdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { containerEnv, ensurePackages } from './containers.mjs';

const require = createRequire(import.meta.url);
const { APPS, localEnv } = require('../dev/apps.js');
const root = path.resolve(import.meta.dirname, '../..');
const work = path.join(root, 'tmp/images');
const archives = path.join(root, 'dist/images');
const { version } = JSON.parse(readFileSync(path.join(root, 'package.json'), 'utf8'));
const only = process.argv.slice(2);
const apps = only.length ? only : Object.keys(APPS);
const SMOKE_PORT_BASE = 41500;
const UID = 10001;

const results = [];
const timings = [];
ensurePackages();
const env = containerEnv(root);
const run = (command, args, options = {}) => execFileSync(command, args, { cwd: root, env, encoding: 'utf8', maxBuffer: 64 * 1024 * 1024, ...options });
const timed = (label, fn) => {
  const started = Date.now();
  process.stdout.write(`» ${label}\n`);
  const value = fn();
  const seconds = (Date.now() - started) / 1000;
  timings.push({ label, seconds });
  process.stdout.write(`  ${seconds.toFixed(1)} s\n`);
  return value;
};

const base = timed('base image from Node 24 (node_modules/node) and its shared libraries', buildBase);
timed('build the apps (tools/dev/build.mjs)', () => run(process.execPath, ['tools/dev/build.mjs', ...apps], { stdio: 'inherit' }));
const runtime = timed('runtime image: production node_modules (npm ci --omit=dev) on the base', buildRuntime);
for (const app of apps) timed(`buildah build ${app}`, () => buildImage(app));
mkdirSync(archives, { recursive: true });
for (const [index, app] of apps.entries()) timed(`smoke-run ${app}`, () => smoke(app, SMOKE_PORT_BASE + index));
const archive = timed('OCI archive of every image', exportArchive);

process.stdout.write('\nimages (uncompressed; base and node_modules layers shared by all)\n');
for (const tag of [base, runtime, ...apps.map(image)]) {
  const bytes = Number(run('podman', ['image', 'inspect', '--format', '{{.Size}}', tag]).trim());
  process.stdout.write(`  ${tag.padEnd(48)} ${mb(bytes)} MB\n`);
}
process.stdout.write(`  ${path.relative(root, archive)}: ${mb(statSync(archive).size)} MB\n`);
const total = timings.reduce((sum, t) => sum + t.seconds, 0);
process.stdout.write(`total ${total.toFixed(0)} s\n`);
const failed = results.filter((r) => !r.ok);
for (const r of failed) process.stdout.write(`FAIL ${r.name}: ${r.detail}\n`);
process.stdout.write(`${results.length - failed.length} passed, ${failed.length} failed\n`);
process.exit(failed.length ? 1 : 0);

function image(app) {
  return `localhost/understudy/${app}:${version}`;
}

function mb(bytes) {
  return (bytes / 1e6).toFixed(0);
}

/** The Node binary and exactly the libraries `ldd` says it loads, at the same paths. */
function buildBase() {
  const node = path.join(root, 'node_modules/node/bin/node');
  const nodeVersion = execFileSync(node, ['--version'], { encoding: 'utf8' }).trim();
  const libraries = execFileSync('ldd', [node], { encoding: 'utf8' })
    .split('\n')
    .map((line) => line.match(/(\/\S+) \(0x/)?.[1])
    .filter(Boolean);
  // Bump BASE_LAYOUT when the rootfs below changes.
  const BASE_LAYOUT = 2;
  const fingerprint = createHash('sha256').update(`${BASE_LAYOUT}\n${nodeVersion}\n${libraries.map((l) => `${l}:${statSync(l).size}`).join('\n')}`).digest('hex').slice(0, 16);
  const tag = `localhost/understudy/node24-base:${nodeVersion.slice(1)}`;
  const existing = spawnSync('podman', ['image', 'inspect', '--format', '{{index .Labels "understudy.base.fingerprint"}}', tag], { env, encoding: 'utf8' });
  if (existing.status === 0 && existing.stdout.trim() === fingerprint) {
    process.stdout.write(`  ${tag} is up to date\n`);
    return tag;
  }
  const rootfs = path.join(work, 'base-rootfs');
  rmSync(rootfs, { recursive: true, force: true });
  mkdirSync(path.join(rootfs, 'usr/local/bin'), { recursive: true });
  copyFileSync(node, path.join(rootfs, 'usr/local/bin/node'));
  for (const library of libraries) {
    // Copy the file itself (ldd may name a symlink) to the path the loader looks up.
    mkdirSync(path.join(rootfs, path.dirname(library)), { recursive: true });
    copyFileSync(library, path.join(rootfs, library));
  }
  mkdirSync(path.join(rootfs, 'etc'), { recursive: true });
  writeFileSync(path.join(rootfs, 'etc/passwd'), `root:x:0:0:root:/root:/sbin/nologin\nunderstudy:x:${UID}:${UID}:understudy:/app:/sbin/nologin\n`);
  writeFileSync(path.join(rootfs, 'etc/group'), `root:x:0:\nunderstudy:x:${UID}:\n`);
  writeFileSync(path.join(rootfs, 'etc/nsswitch.conf'), 'passwd: files\ngroup: files\nhosts: files dns\n');
  // 1777 exactly (mkdir's mode goes through the umask): podman copies it onto a --tmpfs /tmp.
  mkdirSync(path.join(rootfs, 'tmp'));
  chmodSync(path.join(rootfs, 'tmp'), 0o1777);
  mkdirSync(path.join(rootfs, 'app'));
  const container = run('buildah', ['from', 'scratch']).trim();
  try {
    run('buildah', ['copy', container, `${rootfs}/`, '/']);
    run('buildah', ['run', '--isolation', 'chroot', container, '/usr/local/bin/node', '-e', 'process.exit(process.version.startsWith("v24.") ? 0 : 1)']);
    run('buildah', [
      'config',
      '--env', 'PATH=/usr/local/bin:/usr/bin:/bin',
      '--user', `${UID}:${UID}`,
      '--workingdir', '/app',
      '--label', `understudy.base.fingerprint=${fingerprint}`,
      '--label', `org.opencontainers.image.description=Node ${nodeVersion} (the npm node package's binary) and the glibc/libstdc++ it links, nothing else`,
      container,
    ]);
    run('buildah', ['commit', '--rm', container, tag]);
  } catch (error) {
    spawnSync('buildah', ['rm', container], { env });
    throw error;
  }
  run('buildah', ['tag', tag, 'localhost/understudy/node24-base:latest']);
  process.stdout.write(`  committed ${tag} (${libraries.length} libraries)\n`);
  return tag;
}

/** Base + production node_modules (installed from the lockfile), the layer all seven images share. */
function buildRuntime() {
  const lockHash = createHash('sha256')
    .update(readFileSync(path.join(root, 'package-lock.json')))
    .update(readFileSync(path.join(root, 'package.json')))
    .update(run('podman', ['image', 'inspect', '--format', '{{.Id}}', base]))
    .digest('hex')
    .slice(0, 16);
  const tag = `localhost/understudy/runtime:${version}`;
  const existing = spawnSync('podman', ['image', 'inspect', '--format', '{{index .Labels "understudy.runtime.fingerprint"}}', tag], { env, encoding: 'utf8' });
  if (existing.status === 0 && existing.stdout.trim() === lockHash) {
    process.stdout.write(`  ${tag} is up to date\n`);
    return tag;
  }
  const context = path.join(work, 'runtime');
  rmSync(context, { recursive: true, force: true });
  mkdirSync(context, { recursive: true });
  copyFileSync(path.join(root, 'package.json'), path.join(context, 'package.json'));
  copyFileSync(path.join(root, 'package-lock.json'), path.join(context, 'package-lock.json'));
  // --ignore-scripts: no production dependency needs an install script (none ships a native addon).
  run('npm', ['ci', '--omit=dev', '--ignore-scripts', '--no-audit', '--no-fund', '--loglevel=error'], { cwd: context, stdio: 'inherit' });
  rmSync(path.join(context, 'package-lock.json'));
  run('buildah', [
    'build', '--network', 'host', '--pull=never',
    '--build-arg', `BASE=${base}`,
    '--label', `understudy.runtime.fingerprint=${lockHash}`,
    '-f', path.join(root, 'images/Containerfile.runtime'),
    '-t', tag,
    context,
  ], { stdio: ['ignore', 'ignore', 'inherit'] });
  return tag;
}

function buildImage(app) {
  // The context is the app's built JS alone (dist/apps/<app>), so each build sends a few MB.
  run('buildah', [
    'build',
    '--network', 'host',
    '--pull=never',
    '--build-arg', `RUNTIME=${runtime}`,
    '--build-arg', `APP=${app}`,
    '--label', `org.opencontainers.image.title=understudy-${app}`,
    '--label', `org.opencontainers.image.version=${version}`,
    '-f', path.join(root, 'images/Containerfile'),
    '-t', image(app),
    path.join(root, 'dist/apps'),
  ], { stdio: ['ignore', 'ignore', 'inherit'] });
}

function record(name, ok, detail = '') {
  results.push({ name, ok, detail });
  process.stdout.write(`  ${ok ? 'ok  ' : 'FAIL'}  ${name}${ok ? '' : `: ${detail}`}\n`);
}

function smoke(app, port) {
  const name = `understudy-smoke-${app}`;
  spawnSync('podman', ['rm', '--force', '--ignore', name], { env });
  // The app's own variables only (the laptop values of tools/dev/apps.js), on a port of ours, with
  // a database and consumer group of its own so the smoke run touches nothing of `npm start`'s.
  const database = APPS[app].postgres ? `understudy_smoke_${app.replace(/-/g, '_')}` : undefined;
  const overrides = { PORT: String(port), HOST: '127.0.0.1', NODE_ENV: 'production', LOG_LEVEL: 'warn', PROJECTION_GROUP_ID: `understudy-smoke-${app}` };
  if (database) {
    psql(`DROP DATABASE IF EXISTS ${database} WITH (FORCE)`);
    psql(`CREATE DATABASE ${database}`);
    overrides.DATABASE_URL = `postgres://understudy:understudy@localhost:5432/${database}`;
  }
  const appEnv = localEnv(app, overrides, {});
  if (app !== 'inventory') delete appEnv.PROJECTION_GROUP_ID;
  const envArgs = Object.entries(appEnv).flatMap(([key, value]) => ['--env', `${key}=${value}`]);
  try {
    if (database) {
      // The entry point the Helm hook Job runs: `main.js --migrate`, then exit 0.
      const migrate = spawnSync('podman', ['run', '--rm', '--network', 'host', '--read-only', '--tmpfs', '/tmp:rw,mode=1777', ...envArgs, image(app), '--migrate'], { env, encoding: 'utf8' });
      record(`${app}: main.js --migrate → exit 0`, migrate.status === 0, `exit ${migrate.status}: ${migrate.stderr.slice(-2000)}`);
    }
    serve(app, name, port, envArgs);
  } finally {
    if (database) psql(`DROP DATABASE IF EXISTS ${database} WITH (FORCE)`);
  }
}

function psql(sql) {
  run('psql', ['postgres://understudy:understudy@localhost:5432/postgres', '-qXc', sql]);
}

function serve(app, name, port, envArgs) {
  // As in the chart: read-only root, a writable /tmp, the image's own user (not overridden here).
  run('podman', ['run', '--detach', '--name', name, '--network', 'host', '--read-only', '--tmpfs', '/tmp:rw,mode=1777', ...envArgs, image(app)]);
  try {
    const deadline = Date.now() + 60_000;
    let status = 0;
    while (Date.now() < deadline) {
      status = httpStatus(`http://127.0.0.1:${port}/health/live`);
      if (status === 200) break;
      const state = run('podman', ['inspect', '--format', '{{.State.Status}}', name]).trim();
      if (state !== 'running') break;
      spawnSync('sleep', ['0.5']);
    }
    record(`${app}: GET /health/live → 200`, status === 200, `last status ${status}; logs:\n${logs(name)}`);
    if (status !== 200) return;
    const user = run('podman', ['exec', name, '/usr/local/bin/node', '-e', 'console.log(process.getuid())']).trim();
    record(`${app}: runs as uid ${UID}`, user === String(UID), `uid ${user}`);
    // podman stop sends the image's stop signal (SIGTERM) and waits; SIGKILL only after 30 s.
    run('podman', ['stop', '--time', '30', name]);
    const exit = run('podman', ['inspect', '--format', '{{.State.ExitCode}}', name]).trim();
    record(`${app}: SIGTERM → exit 0`, exit === '0', `exit code ${exit}; logs:\n${logs(name)}`);
  } finally {
    spawnSync('podman', ['rm', '--force', '--ignore', name], { env });
  }
}

/** One GET with a 2 s deadline, from a child Node (this script is synchronous); 0 when nothing answers. */
function httpStatus(url) {
  const probe = spawnSync(process.execPath, ['-e', `fetch(${JSON.stringify(url)}, { signal: AbortSignal.timeout(2000) }).then((r) => console.log(r.status), () => console.log(0))`], { encoding: 'utf8' });
  return Number(probe.stdout.trim()) || 0;
}

function logs(name) {
  const r = spawnSync('podman', ['logs', '--tail', '20', name], { env, encoding: 'utf8' });
  return `${r.stdout}${r.stderr}`;
}

function exportArchive() {
  const layout = path.join(work, 'oci');
  rmSync(layout, { recursive: true, force: true });
  for (const app of apps) run('skopeo', ['copy', '--quiet', `containers-storage:${image(app)}`, `oci:${layout}:${app}-${version}`]);
  const archive = path.join(archives, `understudy-${version}.oci.tar`);
  rmSync(archive, { force: true });
  run('tar', ['-C', layout, '-cf', archive, '.']);
  return archive;
}
