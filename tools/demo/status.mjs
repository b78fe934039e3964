// The demo's one-line status: each route's step, match rate and guard, the
// traffic, and Shopify sync (drift of the reconciler's last run).

const SHORT = { 'inventory.check': 'check', 'inventory.reserve': 'reserve', 'pricing.quote': 'quote' };

function clock(ms) {
  const s = Math.floor(ms / 1000);
  return `${String(Math.floor(s / 60)).padStart(2, '0')}:${String(s % 60).padStart(2, '0')}`;
}

function step({ mode, percent }) {
  if (mode === 'monolith') return 'monolith';
  if (mode === 'module-only') return 'module-only';
  return `${mode === 'shadow' ? 'shadow' : 'primary'} ${percent}%`;
}

function rate(overall) {
  const { match, mismatch, error, timeout } = overall.counts;
  const samples = match + mismatch + error + timeout;
  return samples === 0 ? 'no samples' : `${(overall.matchRate * 100).toFixed(1)}% of ${samples}`;
}

function guard(report) {
  const { action, reason } = report.guard;
  if (action !== 'hold') return action;
  if (/cooling down/.test(reason)) return 'cooling';
  if (/collecting samples/.test(reason)) return 'collecting';
  if (/below/.test(reason)) return 'HOLD: below threshold';
  if (/last ramp step/.test(reason)) return 'at the top';
  if (/monolith/.test(reason)) return 'on monolith';
  return 'hold';
}

function drift(sync) {
  if (!sync) return 'sync: ?';
  if (!sync.runs?.available) return 'reconciler: unavailable';
  const runs = Array.isArray(sync.runs.body) ? sync.runs.body : sync.runs.body?.runs;
  const run = runs?.[0];
  if (!run) return 'reconciler: no runs yet';
  const d = run.drift ?? {};
  return `last run ${run.state}: drift ${d.missing ?? 0} missing/${d.stale ?? 0} stale/${d.extra ?? 0} extra/${d.mismatch ?? 0} mismatch`;
}

export function statusLine({ elapsedMs, reports, sync, counts, seconds, sale }) {
  const routes = reports.map((r) => `${SHORT[r.route] ?? r.route} ${step(r.step)} ${rate(r.overall)} (${guard(r)})`).join(' · ');
  const perSecond = seconds > 0 ? Math.round(counts.sent / seconds) : 0;
  const failed = counts.failed ? `, ${counts.failed} failed` : '';
  return `[demo ${clock(elapsedMs)}] ${routes} | ${perSecond} req/s${failed}${sale ? ` | FLASH SALE #${sale.number}` : ''} | ${drift(sync)}`;
}
