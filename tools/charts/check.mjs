// `npm run test:charts` (and a step of `npm test`): the Helm charts checked like code.
//   tools        → tools/charts/install-tools.sh (helm, kubeconform, kube-score, helm-unittest, kubernetes-validate; cached in .tools/)
//   lint         → `helm lint --strict` of every chart
//   render       → `helm template` of the umbrella with every charts/understudy/ci/*-values.yaml
//   kubeconform  → each rendered object against the Kubernetes 1.33 JSON schemas, strict (unknown fields refused),
//                  and ScaledObject / ServiceMonitor / PrometheusRule against tools/charts/crd-schemas/
//   kube-score   → best-practice checks of the default and production renders
//   unittest     → helm-unittest suites in charts/*/tests/
//   mutations    → the checks must fail on broken input: an unknown values key, a removed readiness
//                  probe, an unknown field, a numeric KEDA lagThreshold
// Prints `N passed, N failed` and exits non-zero on any failure.
import { spawnSync } from 'node:child_process';
import { mkdirSync, readdirSync, readFileSync, writeFileSync, existsSync } from 'node:fs';
import path from 'node:path';
import { ensureKubernetesSchemas } from './k8s-schemas.mjs';

const root = path.resolve(import.meta.dirname, '../..');
const charts = path.join(root, 'charts');
const bin = path.join(root, '.tools/go/bin');
const out = path.join(root, 'tmp/charts');
mkdirSync(out, { recursive: true });
const KUBERNETES_VERSION = '1.33.0';
const SERVICES = ['gateway', 'webhook-ingest', 'inventory', 'pricing', 'reconciler', 'shopify-sim', 'legacy-monolith'];
// The two settings every real install must give (the ci/ cases of the umbrella give them too).
const REQUIRED_SETTINGS = ['--set-string', 'global.kafka.brokers=kafka:9092', '--set-string', 'global.shopify.shop=example-store.myshopify.com'];
// kube-score checks left out, and why (docs/deploy.md repeats this):
// CPU limits throttle a Node process in 100 ms CFS slices: a p99 disaster on the checkout path.
// Requests are set, and memory is limited (--ignore-container-cpu-limit).
const KUBE_SCORE_IGNORED = [
  // Tags are immutable release versions; IfNotPresent spares the registry on every restart.
  'container-image-pull-policy',
];

const results = [];
const run = (command, args, options = {}) => spawnSync(command, args, { cwd: root, encoding: 'utf8', maxBuffer: 256 * 1024 * 1024, ...options });
const tool = (name) => path.join(bin, name);

function check(name, fn) {
  const started = Date.now();
  let ok = false;
  let detail = '';
  try {
    const result = fn();
    ok = result.ok;
    detail = result.detail ?? '';
  } catch (error) {
    detail = error instanceof Error ? error.stack ?? error.message : String(error);
  }
  const seconds = ((Date.now() - started) / 1000).toFixed(1);
  results.push({ name, ok, seconds });
  process.stdout.write(`  ${ok ? 'ok  ' : 'FAIL'}  ${name}  (${seconds}s)\n`);
  if (!ok && detail) process.stdout.write(`${detail.trimEnd().replace(/^/gm, '        ')}\n`);
  return ok;
}

const passed = (r) => ({ ok: r.status === 0, detail: `${r.stdout ?? ''}${r.stderr ?? ''}`.slice(-8000) });
const failedAsExpected = (r, pattern) => ({
  ok: r.status !== 0 && pattern.test(`${r.stdout}${r.stderr}`),
  detail: `expected a failure matching ${pattern}, got exit ${r.status}:\n${`${r.stdout}${r.stderr}`.slice(-4000)}`,
});

process.stdout.write('» chart tools (.tools/)\n');
if (!check('install tools (tools/charts/install-tools.sh)', () => passed(run('bash', ['tools/charts/install-tools.sh'], { stdio: 'inherit' })))) finish();
let k8sSchemas;
check('Kubernetes 1.33 JSON schemas from kubernetes-validate, $refs made relative', () => {
  k8sSchemas = ensureKubernetesSchemas(root, KUBERNETES_VERSION);
  return { ok: true };
});

process.stdout.write('» helm dependency update (file:// only, offline)\n');
for (const chart of [...SERVICES, 'understudy']) {
  check(`dependencies of ${chart}`, () => passed(run(tool('helm'), ['dependency', 'update', '--skip-refresh', path.join(charts, chart)])));
}

process.stdout.write('» helm lint --strict\n');
check('lint understudy-lib', () => passed(run(tool('helm'), ['lint', '--strict', path.join(charts, 'understudy-lib')])));
for (const chart of SERVICES) {
  check(`lint ${chart}`, () => passed(run(tool('helm'), ['lint', '--strict', path.join(charts, chart), ...REQUIRED_SETTINGS])));
}
const cases = readdirSync(path.join(charts, 'understudy/ci')).filter((f) => f.endsWith('-values.yaml')).sort();
for (const file of cases) {
  check(`lint understudy with ci/${file}`, () => passed(run(tool('helm'), ['lint', '--strict', path.join(charts, 'understudy'), '-f', path.join(charts, 'understudy/ci', file)])));
}

process.stdout.write('» helm template + kubeconform (Kubernetes 1.33, strict) + CRD schemas\n');
const rendered = {};
function render(file, extra = []) {
  return run(tool('helm'), ['template', 'demo', path.join(charts, 'understudy'), '--namespace', 'understudy', '-f', path.join(charts, 'understudy/ci', file), ...extra]);
}
function kubeconform(manifestPath) {
  return run(tool('kubeconform'), [
    '-strict',
    '-summary',
    '-kubernetes-version', KUBERNETES_VERSION,
    '-schema-location', `${k8sSchemas}/{{ .ResourceKind }}{{ .KindSuffix }}.json`,
    '-schema-location', `${path.join(root, 'tools/charts/crd-schemas')}/{{ .Group }}/{{ .ResourceKind }}_{{ .ResourceAPIVersion }}.json`,
    manifestPath,
  ]);
}
for (const file of cases) {
  const name = file.replace(/-values\.yaml$/, '');
  const manifest = path.join(out, `${name}.yaml`);
  if (!check(`render ci/${file}`, () => {
    const r = render(file);
    if (r.status === 0) writeFileSync(manifest, r.stdout);
    return passed(r);
  })) continue;
  rendered[name] = manifest;
  check(`kubeconform ci/${file}`, () => {
    const r = kubeconform(manifest);
    // -summary ends with "Summary: N resources found … - Valid: N, Invalid: 0, Errors: 0, Skipped: 0"; nothing may be skipped.
    const ok = r.status === 0 && /Invalid: 0, Errors: 0, Skipped: 0/.test(r.stdout);
    return { ok, detail: `${r.stdout}${r.stderr}` };
  });
}

check('the simulator and the monolith are off by default, on for a demo', () => {
  const sources = (name) => new Set([...readFileSync(rendered[name], 'utf8').matchAll(/# Source: understudy\/charts\/([\w-]+)\//g)].map((m) => m[1]));
  const byDefault = sources('default');
  const demo = sources('demo');
  const ok = !byDefault.has('shopify-sim') && !byDefault.has('legacy-monolith') && demo.has('shopify-sim') && demo.has('legacy-monolith') && byDefault.has('gateway');
  return { ok, detail: `default renders ${[...byDefault].join(', ')}; demo renders ${[...demo].join(', ')}` };
});

process.stdout.write('» kube-score\n');
function kubeScore(manifestPath) {
  return run(tool('kube-score'), ['score', '--output-format', 'ci', '--exit-one-on-warning', '--ignore-container-cpu-limit', ...KUBE_SCORE_IGNORED.flatMap((t) => ['--ignore-test', t]), manifestPath]);
}
for (const name of ['default', 'production', 'demo']) {
  if (rendered[name]) check(`kube-score ci/${name}-values.yaml`, () => {
    const r = kubeScore(rendered[name]);
    return { ok: r.status === 0, detail: r.stdout.split('\n').filter((l) => /^\[(CRITICAL|WARNING)\]/.test(l)).join('\n') || r.stderr };
  });
}

process.stdout.write('» helm-unittest\n');
for (const chart of [...SERVICES, 'understudy']) {
  if (!existsSync(path.join(charts, chart, 'tests'))) continue;
  check(`unittest ${chart}`, () => passed(run(tool('helm-unittest'), ['--strict', '--color=false', path.join(charts, chart)])));
}

process.stdout.write('» the checks catch what they are for\n');
check('an unknown values key is refused', () => {
  const bad = path.join(out, 'unknown-key.yaml');
  writeFileSync(bad, 'gateway:\n  replicaCont: 3\n');
  return failedAsExpected(render('default-values.yaml', ['-f', bad]), /additional properties 'replicaCont' not allowed/);
});
if (rendered.production) {
  const production = readFileSync(rendered.production, 'utf8');
  const gatewayDeployment = /# Source: understudy\/charts\/gateway\/templates\/deployment\.yaml\n[\s\S]*?(?=\n---|$)/;
  check('kube-score fails when the gateway loses its readiness probe', () => {
    const doc = production.match(gatewayDeployment)?.[0];
    if (!doc) return { ok: false, detail: 'gateway Deployment not found in the production render' };
    const mutated = path.join(out, 'mutation-no-readiness.yaml');
    // The Service that targets it stays in the file, so kube-score knows the pod takes traffic.
    writeFileSync(mutated, production.replace(doc, doc.replace(/\n {10}readinessProbe:\n(?: {12}.*\n)+/, '\n')));
    if (readFileSync(mutated, 'utf8') === production) return { ok: false, detail: 'the mutation did not apply' };
    return failedAsExpected(kubeScore(mutated), /readiness/i);
  });
  check('kubeconform fails on an unknown field (strict)', () => {
    const mutated = path.join(out, 'mutation-unknown-field.yaml');
    writeFileSync(mutated, production.replace('revisionHistoryLimit: 5', 'revisionHistoryLimit: 5\n  revisionHistoryLimt: 5'));
    return failedAsExpected(kubeconform(mutated), /revisionHistoryLimt|additional/i);
  });
  check('the ScaledObject schema refuses a numeric lagThreshold', () => {
    const mutated = path.join(out, 'mutation-lag-number.yaml');
    writeFileSync(mutated, production.replace(/lagThreshold: "(\d+)"/, 'lagThreshold: $1'));
    return failedAsExpected(kubeconform(mutated), /lagThreshold|string/i);
  });
}

finish();

function finish() {
  const failed = results.filter((r) => !r.ok).length;
  process.stdout.write(`${results.length - failed} passed, ${failed} failed\n`);
  process.exit(failed ? 1 : 0);
}
