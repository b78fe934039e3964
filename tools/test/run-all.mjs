// `npm test`: everything CI checks, in order, on the real infrastructure:
//   infra (started or reused; the Go tools start building in the background) → lint → typecheck → unit tests → integration tests → contracts (Pact) → fuzz → Helm charts → fault suite,
//   with the demo test (a whole `npm start` in chromium) running in the background from the integration tests on
//   → (in CI) container images.
// Every step runs even if an earlier one failed, so one run shows all problems.
// Ends with the line `N passed, N failed` (jest tests plus one per static check).
import { spawn, spawnSync } from 'node:child_process';
import { closeSync, mkdirSync, openSync, readFileSync, existsSync } from 'node:fs';
import path from 'node:path';

const root = path.resolve(import.meta.dirname, '../..');
const reports = path.join(root, 'tmp/test-reports');
mkdirSync(reports, { recursive: true });
// PACT_DO_NOT_TRACK: Pact's library never reaches the network (docs/contracts.md).
const env = { ...process.env, NX_DAEMON: 'false', PACT_DO_NOT_TRACK: 'true', FORCE_COLOR: process.env.CI ? '0' : process.env.FORCE_COLOR };
const bin = (name) => path.join(root, 'node_modules/.bin', name);

const results = [];

function step(name, command, args, { jestReport } = {}) {
  const started = Date.now();
  process.stdout.write(`\n» ${name}\n`);
  const { status } = spawnSync(command, args, { cwd: root, env, stdio: 'inherit' });
  record(name, started, status, jestReport);
}

function record(name, started, status, jestReport, finished = Date.now()) {
  const seconds = ((finished - started) / 1000).toFixed(1);
  if (jestReport && existsSync(jestReport)) {
    const report = JSON.parse(readFileSync(jestReport, 'utf8'));
    // A suite that fails outside its tests (it does not load, or a beforeAll/afterAll throws) has no failed test of
    // its own; count it as one failure. And a jest that exits non-zero never reads as all green.
    const brokenSuites = report.testResults.filter((suite) => suite.status === 'failed' && !suite.assertionResults.some((test) => test.status === 'failed')).length;
    const failed = report.numFailedTests + brokenSuites;
    results.push({ name, seconds, passed: report.numPassedTests, failed: failed === 0 && status !== 0 ? 1 : failed, skipped: report.numPendingTests });
  } else {
    results.push({ name, seconds, passed: status === 0 ? 1 : 0, failed: status === 0 ? 0 : 1, skipped: 0 });
  }
}

/** Starts a step beside the ones that follow, its output in a file; `await` the result to record it. */
function background(name, command, args, { log, jestReport } = {}) {
  const started = Date.now();
  const fd = openSync(log, 'w');
  const child = spawn(command, args, { cwd: root, env, stdio: ['ignore', fd, fd] });
  closeSync(fd);
  process.stdout.write(`\n» ${name}: running in the background (${path.relative(root, log)})\n`);
  let finished;
  const exited = new Promise((resolve) => {
    child.once('exit', (code) => resolve(code ?? 1));
    child.once('error', () => resolve(1));
  }).finally(() => (finished = Date.now()));
  return async () => {
    const status = await exited;
    process.stdout.write(`\n» ${name}: ${status === 0 ? 'passed' : `FAILED (exit ${status}); the last lines of ${path.relative(root, log)}:`}\n`);
    if (status !== 0) process.stdout.write(`${readFileSync(log, 'utf8').split('\n').slice(-80).join('\n')}\n`);
    record(name, started, status, jestReport, finished);
  };
}

step('infrastructure (npm run infra:up)', 'bash', ['tools/infra/infra.sh', 'up']);
// The Go tools (helm, kubeconform, kube-score, helm-unittest, toxiproxy) take minutes to build on a
// fresh machine, mostly waiting on the module proxy: build them beside the first steps instead of
// before the steps that use them. Both installers are idempotent, so those steps find them ready
// (or, if this failed, install and report themselves). Output goes to a file, not a pipe nobody reads.
const prefetchLog = path.join(reports, 'tools-prefetch.log');
const prefetchFd = openSync(prefetchLog, 'w');
const prefetch = spawn('bash', ['-c', 'bash tools/charts/install-tools.sh && bash tools/faults/install-toxiproxy.sh'], { cwd: root, env, stdio: ['ignore', prefetchFd, prefetchFd] });
closeSync(prefetchFd);
const prefetched = new Promise((resolve) => {
  prefetch.once('exit', (code) => resolve(code));
  prefetch.once('error', () => resolve(1));
});
process.stdout.write(`\n» Go tools for the chart checks and the fault suite: building in the background (${path.relative(root, prefetchLog)})\n`);
// The module-boundary rule needs Nx's project graph cached, or it silently skips itself.
step('project graph (nx)', bin('nx'), ['show', 'projects']);
step('lint', bin('eslint'), ['--max-warnings=0', '.']);
step('typecheck', bin('tsc'), ['-p', 'tsconfig.json', '--noEmit']);
// The operator console's browser code has its own compiler settings (DOM, ES modules).
step('typecheck (console web)', bin('tsc'), ['-p', 'apps/gateway/console-web/tsconfig.json']);
const unitReport = path.join(reports, 'unit.json');
step('unit tests', bin('jest'), ['--selectProjects', 'unit', '--ci', '--json', '--outputFile', unitReport], { jestReport: unitReport });
// The console's browser tests drive Debian's chromium; installed here when missing (never downloaded by Playwright).
step('chromium for the browser tests (apt-get when missing)', 'bash', ['tools/test/ensure-chromium.sh']);
// The demo test (tools/demo, a whole `npm start` watched in chromium until inventory.check passes shadow
// 10 %) spends most of its 10–20 minutes waiting on the demo's guard windows, so it runs beside the
// integration tests, contracts and fuzz rather than after them; on its own ports, databases and topics.
const demoReport = path.join(reports, 'demo.json');
const demo = background('demo: npm start watched in chromium (npm run test:demo)', bin('jest'), ['--selectProjects', 'demo', '--runInBand', '--ci', '--forceExit', '--json', '--outputFile', demoReport], {
  log: path.join(reports, 'demo.log'),
  jestReport: demoReport,
});
const integrationReport = path.join(reports, 'integration.json');
step('integration tests (real PostgreSQL, Redis, Kafka)', bin('jest'), ['--selectProjects', 'integration', '--runInBand', '--ci', '--forceExit', '--json', '--outputFile', integrationReport], {
  jestReport: integrationReport,
});
// Pact (docs/contracts.md): consumers regenerate their pacts and fail when the committed ones in pacts/ are stale; then each provider verifies them.
const consumersReport = path.join(reports, 'contracts-consumers.json');
step('contracts: consumer pacts (npm run test:contracts)', bin('jest'), ['--selectProjects', 'contracts', '--runInBand', '--ci', '--forceExit', '--json', '--outputFile', consumersReport, 'consumer.pact-spec'], {
  jestReport: consumersReport,
});
// The "can I deploy" table in docs/contracts.md must be the one the committed pacts give.
step('contracts: can-i-deploy table (tools/contracts/can-i-deploy.js)', process.execPath, ['tools/contracts/can-i-deploy.js']);
const providersReport = path.join(reports, 'contracts-providers.json');
step('contracts: provider verification (npm run contracts:verify)', bin('jest'), ['--selectProjects', 'contracts', '--runInBand', '--ci', '--forceExit', '--json', '--outputFile', providersReport, 'provider.pact-spec'], {
  jestReport: providersReport,
});
// schemathesis (installed once into .tools/venv) against every app's /openapi.json on the real stack: zero 5xx.
step('fuzz (schemathesis, every OpenAPI document)', process.execPath, ['-r', '@swc-node/register', 'tools/fuzz/run.ts']);

const prefetchCode = await prefetched;
process.stdout.write(`\n» Go tools built in the background: ${prefetchCode === 0 ? 'ready' : `failed (exit ${prefetchCode}); the steps below install what they need themselves — ${path.relative(root, prefetchLog)}`}\n`);
// Installs its own tools into .tools/ on the first run (docs/deploy.md says how long that takes).
step('Helm charts (npm run test:charts)', process.execPath, ['tools/charts/check.mjs']);

// Real processes on private servers the suite starts itself (tools/faults, docs/reliability.md).
const faultsReport = path.join(reports, 'faults.json');
step('fault suite (private PostgreSQL, Redis, Kafka, toxiproxy)', bin('jest'), ['--selectProjects', 'faults', '--runInBand', '--ci', '--forceExit', '--json', '--outputFile', faultsReport], {
  jestReport: faultsReport,
});
await demo();
// Container images built with buildah and smoke-run with podman: in CI (8–16 minutes on a busy
// 2-core machine, docs/deploy.md), or locally with UNDERSTUDY_IMAGES=1; `npm run images` alone otherwise.
if (process.env.CI || process.env.UNDERSTUDY_IMAGES) step('container images (npm run images)', process.execPath, ['tools/images/build.mjs']);

const total = results.reduce((sum, r) => ({ passed: sum.passed + r.passed, failed: sum.failed + r.failed, skipped: sum.skipped + r.skipped }), {
  passed: 0,
  failed: 0,
  skipped: 0,
});
process.stdout.write('\nsummary\n');
for (const r of results) {
  process.stdout.write(`  ${r.failed ? 'FAIL' : 'ok  '}  ${r.name.padEnd(52)} ${String(r.passed).padStart(4)} passed ${String(r.failed).padStart(3)} failed  ${r.seconds}s\n`);
}
process.stdout.write(`${total.passed} passed, ${total.failed} failed${total.skipped ? `, ${total.skipped} skipped` : ''}\n`);
process.exit(total.failed > 0 ? 1 : 0);
