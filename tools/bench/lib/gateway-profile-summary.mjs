// Summarises a V8 .cpuprofile of the gateway (BENCH_GATEWAY_NODE_OPTIONS or
// gateway-ab.mjs's PROF): busy samples by package, by function (self) and by
// frame (inclusive), leaving out idle time and the start-up (module loading).
//   node tools/bench/lib/gateway-profile-summary.mjs <file.cpuprofile> [rows]
// NOWRITEV=1 also leaves out the kernel's writev: the profiler counts wall time,
// and on a loaded machine a loopback send is often descheduled inside the call
// (the receiver wakes), so writev's share of samples overstates its share of CPU.
import { readFileSync } from 'node:fs';

const [file, rows = '40'] = process.argv.slice(2);
const profile = JSON.parse(readFileSync(file, 'utf8'));
const byId = new Map(profile.nodes.map((node) => [node.id, node]));
const parent = new Map();
for (const node of profile.nodes) for (const child of node.children ?? []) parent.set(child, node.id);
const counts = new Map();
for (const sample of profile.samples) counts.set(sample, (counts.get(sample) ?? 0) + 1);

const startup = new Set();
for (const node of profile.nodes) {
  if (!node.callFrame.url.includes('run_main_module')) continue;
  const stack = [node.id];
  while (stack.length) {
    const id = stack.pop();
    startup.add(id);
    stack.push(...(byId.get(id).children ?? []));
  }
}
const where = (url) => {
  if (!url) return '(native)';
  const pkg = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(url);
  if (pkg) return pkg[1];
  if (url.startsWith('node:')) return url;
  return /((?:apps|libs)\/.+)/.exec(url)?.[1] ?? url;
};
const frame = ({ functionName, url, lineNumber }) => `${functionName || '(anonymous)'} ${where(url)}:${lineNumber}`;
let busy = 0;
const self = new Map();
const byPackage = new Map();
const inclusive = new Map();
const add = (map, key, n) => map.set(key, (map.get(key) ?? 0) + n);
for (const [id, n] of counts) {
  const { callFrame } = byId.get(id);
  if (startup.has(id) || callFrame.functionName === '(idle)' || (process.env.NOWRITEV && callFrame.functionName === 'writev')) continue;
  busy += n;
  add(self, frame(callFrame), n);
  add(byPackage, callFrame.url ? where(callFrame.url) : callFrame.functionName, n);
  const seen = new Set();
  for (let at = id; at !== undefined; at = parent.get(at)) {
    const key = frame(byId.get(at).callFrame);
    if (seen.has(key)) continue;
    seen.add(key);
    add(inclusive, key, n);
  }
}
console.log(`${busy} busy samples (start-up and idle left out)`);
for (const [title, map] of [['self, by package', byPackage], ['self, by function', self], ['inclusive', inclusive]]) {
  console.log(`--- ${title}`);
  for (const [key, n] of [...map].sort((x, y) => y[1] - x[1]).slice(0, Number(rows))) console.log(`${((100 * n) / busy).toFixed(1).padStart(5)} % ${key}`);
}
