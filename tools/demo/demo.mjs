// `npm start`'s demo (skip with `npm start -- --no-demo`): puts the routes on
// demo-sized ramps, sends checkout traffic through the gateway, runs a flash
// sale with webhook chaos every few minutes, asks the reconciler to repair
// what the chaos broke, and prints a one-line status every few seconds.
// Everything goes through the apps' public APIs, as an operator and a
// storefront would.
import { adminClient } from './admin.mjs';
import { ensureModuleKnowsCatalogue } from './catalogue.mjs';
import { FlashSales } from './flash-sales.mjs';
import { applyDemoRoutes } from './routes.mjs';
import { statusLine } from './status.mjs';
import { CheckoutTraffic } from './traffic.mjs';

const STATUS_EVERY_MS = 5_000;

/**
 * @param {{gateway: string, monolith: string, sim: string, inventory: string, reconciler: string, adminToken: string, accessToken: string, say: (line: string) => void}} options
 * @returns {Promise<{stop: () => Promise<void>}>}
 */
export async function startDemo({ gateway, monolith, sim, inventory, reconciler, adminToken, accessToken, say }) {
  const admin = adminClient(gateway, adminToken);
  await waitReady({ gateway, monolith, sim, inventory }, say);
  const startedAt = Date.now();
  const levels = await stockedLevels(sim);
  const variants = [...new Set(levels.map((level) => String(level.variant_id)))];
  await ensureModuleKnowsCatalogue({ sim, inventory, levels, say });
  const companyLocations = await b2bLocations(sim, accessToken).catch(() => []);
  await applyDemoRoutes(admin);

  const traffic = new CheckoutTraffic({ gateway, monolith, variants, companyLocations, currency: 'USD' });
  traffic.start();
  const sales = new FlashSales({ sim, reconciler, traffic, variants: variants.length, say });
  sales.start();

  let lastStatus = Date.now();
  let statusBusy = false;
  const statusTimer = setInterval(async () => {
    if (statusBusy) return;
    statusBusy = true;
    try {
      const [report, sync] = await Promise.all([admin.get('/admin/report'), admin.get('/admin/sync?runs=1&hours=1').catch(() => undefined)]);
      const now = Date.now();
      const counts = traffic.takeCounts();
      say(statusLine({ elapsedMs: now - startedAt, reports: report.routes, sync, counts, seconds: (now - lastStatus) / 1000, sale: sales.current }));
      lastStatus = now;
    } catch (error) {
      say(`[demo] status unavailable: ${error instanceof Error ? error.message : String(error)}`);
    } finally {
      statusBusy = false;
    }
  }, STATUS_EVERY_MS);

  say(`» demo: ${Math.round(traffic.rate())} checkout requests/s through the gateway over ${variants.length} variants and ${companyLocations.length} B2B locations; a flash sale with webhook chaos every ${sales.everyMinutes} minutes. Status every ${STATUS_EVERY_MS / 1000} s.`);
  return {
    async stop() {
      clearInterval(statusTimer);
      await sales.stop();
      await traffic.stop();
    },
  };
}

/** The demo needs these apps ready; on a busy machine they may take longer than `npm start`'s 90 s. */
async function waitReady(apps, say, deadlineMs = 10 * 60_000) {
  const deadline = Date.now() + deadlineMs;
  let told = false;
  for (;;) {
    const waiting = [];
    for (const [name, url] of Object.entries(apps)) {
      const ok = await fetch(`${url}/health/ready`, { signal: AbortSignal.timeout(3_000) }).then((r) => r.ok, () => false);
      if (!ok) waiting.push(name);
    }
    if (waiting.length === 0) return;
    if (Date.now() > deadline) throw new Error(`${waiting.join(', ')} not ready after ${deadlineMs / 60_000} minutes`);
    if (!told) say(`» demo: waiting for ${waiting.join(', ')} to be ready`);
    told = true;
    await new Promise((resolve) => setTimeout(resolve, 2_000));
  }
}

/** The simulator's catalogue: its truth dump, one line per stocked level. */
async function stockedLevels(sim) {
  const response = await fetch(`${sim}/_sim/truth/inventory`, { signal: AbortSignal.timeout(30_000) });
  if (!response.ok) throw new Error(`the simulator's truth dump answered ${response.status}`);
  const levels = (await response.text()).split('\n').filter(Boolean).map((line) => JSON.parse(line));
  if (levels.length === 0) throw new Error('the simulator has no stocked variants');
  return levels;
}

/** Company locations with a catalog (B2B buyers), read once from the simulator's Admin API. */
async function b2bLocations(sim, accessToken) {
  const response = await fetch(`${sim}/admin/api/2026-10/graphql.json`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-shopify-access-token': accessToken },
    body: JSON.stringify({ query: '{ companyLocations(first: 50) { nodes { id currency catalogs(first: 1) { nodes { __typename } } } } }' }),
    signal: AbortSignal.timeout(10_000),
  });
  const body = await response.json();
  return (body?.data?.companyLocations?.nodes ?? []).filter((node) => node.catalogs.nodes.length > 0).map((node) => ({ id: node.id.replace(/^.*\//, ''), currency: node.currency }));
}
