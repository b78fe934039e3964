import { AdminApi, ApiError } from './api.js';
import { AuditView } from './audit-view.js';
import { DiffsView, type NoiseVerdict } from './diffs-view.js';
import { byId, fill, h } from './dom.js';
import { clock, stepLabel } from './format.js';
import { type RouteAction, RouteCard } from './routes-view.js';
import { SyncPanel } from './sync-view.js';
import type { AuditEntry, MatchPoint, RouteReport, RouteView, StoredDiff, SyncView } from './types.js';

/**
 * The console: sign in with the admin token, then poll the admin API every
 * second (history and Shopify sync every five) and refresh the views in
 * place. A button press asks for confirmation, is sent with its reason, and
 * shows up in the audit log like any change.
 */
const POLL_MS = 1_000;
const SLOW_POLL_MS = 5_000;

const api = new AdminApi();
const signInSection = byId('sign-in');
const appSection = byId('app');
const signInForm = byId<HTMLFormElement>('sign-in-form');
const tokenInput = byId<HTMLInputElement>('admin-token');
const signInError = byId('sign-in-error');
const statusLine = byId('status');
const banner = byId('banner');
const announce = byId('announce');
const dialog = byId<HTMLDialogElement>('confirm');
const dialogText = byId('confirm-text');

const cards = new Map<string, RouteCard>();
const diffsView = new DiffsView(byId('diffs'), { decideNoise });
const syncPanel = new SyncPanel(byId('sync'));
const auditView = new AuditView(byId('audit'));
let history: Record<string, MatchPoint[]> = {};
let lastSlowPoll = 0;
let timer: number | undefined;
let polling = false;

signInForm.addEventListener('submit', (event) => {
  event.preventDefault();
  const token = tokenInput.value.trim();
  if (!token) {
    signInError.textContent = 'Enter the admin token (ADMIN_TOKEN of the gateway).';
    return;
  }
  api.signIn(token);
  tokenInput.value = '';
  void start();
});
byId('sign-out').addEventListener('click', () => signOut(''));

if (api.signedIn) void start();
else showSignIn('');

function showSignIn(message: string): void {
  appSection.hidden = true;
  signInSection.hidden = false;
  signInError.textContent = message;
  tokenInput.focus();
}

function signOut(message: string): void {
  api.signOut();
  window.clearTimeout(timer);
  cards.clear();
  fill(byId('routes'));
  showSignIn(message);
}

async function start(): Promise<void> {
  signInError.textContent = '';
  try {
    await api.get('/admin/routes');
  } catch (error) {
    if (error instanceof ApiError && error.status === 401) return signOut('That token was not accepted.');
    api.signOut();
    return showSignIn(error instanceof Error ? error.message : String(error));
  }
  signInSection.hidden = true;
  appSection.hidden = false;
  lastSlowPoll = 0;
  await poll();
}

async function poll(): Promise<void> {
  window.clearTimeout(timer);
  if (polling) return;
  polling = true;
  try {
    const slow = Date.now() - lastSlowPoll >= SLOW_POLL_MS;
    const [routes, reports, diffs, audit, historyAnswer, sync] = await Promise.all([
      api.get<{ routes: RouteView[] }>('/admin/routes'),
      api.get<{ routes: RouteReport[] }>('/admin/report'),
      api.get<{ diffs: StoredDiff[] }>('/admin/diffs?limit=30').catch(() => ({ diffs: [] })),
      api.get<{ entries: AuditEntry[] }>('/admin/audit?limit=40').catch(() => ({ entries: [] })),
      slow ? api.get<{ routes: Record<string, MatchPoint[]> }>('/admin/history?minutes=15') : undefined,
      slow ? api.get<SyncView>('/admin/sync?runs=8&hours=24') : undefined,
    ]);
    if (slow) lastSlowPoll = Date.now();
    if (historyAnswer) history = historyAnswer.routes;
    render(routes.routes, reports.routes, diffs.diffs, audit.entries);
    if (sync) syncPanel.update(sync);
    banner.hidden = true;
    statusLine.textContent = `live · updated ${clock(Date.now())} UTC`;
  } catch (error) {
    if (error instanceof ApiError && error.status === 401) {
      polling = false;
      return signOut('The gateway no longer accepts this token; sign in again.');
    }
    banner.hidden = false;
    banner.textContent = `Cannot read the gateway: ${error instanceof Error ? error.message : String(error)} — retrying.`;
  } finally {
    polling = false;
  }
  if (api.signedIn) timer = window.setTimeout(() => void poll(), POLL_MS);
}

function render(routes: RouteView[], reports: RouteReport[], diffs: StoredDiff[], audit: AuditEntry[]): void {
  const container = byId('routes');
  const now = Date.now();
  for (const route of routes) {
    let card = cards.get(route.name);
    if (!card) {
      card = new RouteCard(route.name, { act });
      cards.set(route.name, card);
      container.append(card.element);
    }
    const live = history[route.name] ?? [];
    card.update(route, reports.find((r) => r.route === route.name), live, now);
  }
  diffsView.update(routes, reports, diffs);
  auditView.update(audit);
}

const ACTION_WORDS: Record<RouteAction, string> = { promote: 'Promote', rollback: 'Roll back', freeze: 'Freeze', unfreeze: 'Unfreeze' };

async function act(route: RouteView, action: RouteAction, reason: string): Promise<void> {
  const card = cards.get(route.name);
  if (!reason) {
    say(`${ACTION_WORDS[action]} ${route.name}: write a reason first; it goes into the audit log.`, true);
    document.getElementById(`reason-${route.name.replace(/[^a-z0-9]/gi, '-')}`)?.focus();
    return;
  }
  const target = describeTarget(route, action);
  const confirmed = await confirm(`${ACTION_WORDS[action]} ${route.name}${target}? Reason: “${reason}”.`);
  if (!confirmed) return;
  try {
    const changed = await api.post<RouteView>(`/admin/routes/${encodeURIComponent(route.name)}/${action}`, { version: route.version, reason });
    card?.clearReason();
    say(`${route.name}: ${ACTION_WORDS[action].toLowerCase()} done — now ${stepLabel(changed.step)}${changed.frozen ? ', frozen' : ''}.`, false);
  } catch (error) {
    say(`${ACTION_WORDS[action]} ${route.name} failed: ${error instanceof Error ? error.message : String(error)}`, true);
  }
  void poll();
}

function describeTarget(route: RouteView, action: RouteAction): string {
  const steps = [{ mode: 'monolith', percent: 0 }, ...route.config.ramp];
  const position = route.step.mode === 'monolith' ? 0 : route.rampPosition + 1;
  if (action === 'promote' && steps[position + 1]) return ` from ${stepLabel(route.step)} to ${stepLabel(steps[position + 1]!)}`;
  if (action === 'rollback' && position > 0) return ` from ${stepLabel(route.step)} to ${stepLabel(steps[position - 1]!)}`;
  return '';
}

const NOISE_EFFECT: Record<NoiseVerdict, string> = {
  confirm: "It is added to the route's ignored paths on every replica.",
  reject: 'It stops being ignored on every replica (its differences count as mismatches again) and is not learned again.',
};

async function decideNoise(route: RouteView, path: string, verdict: NoiseVerdict, reason: string): Promise<void> {
  const word = verdict === 'confirm' ? 'Confirm' : 'Reject';
  if (verdict === 'reject' && !reason) {
    say(`Reject ${path} on ${route.name}: write a reason first; it goes into the audit log.`, true);
    diffsView.focusNoiseReason();
    return;
  }
  const because = reason || `confirmed learned noise ${path} in the console`;
  if (!(await confirm(`${word} ${path} as noise on ${route.name}? ${NOISE_EFFECT[verdict]} Reason: “${because}”.`))) return;
  try {
    await api.post(`/admin/routes/${encodeURIComponent(route.name)}/noise/${verdict}`, { path, version: route.version, reason: because });
    diffsView.clearNoiseReason();
    say(verdict === 'confirm' ? `${route.name}: ${path} is now ignored by configuration.` : `${route.name}: ${path} is compared again and will not be learned as noise.`, false);
  } catch (error) {
    say(`${word} ${path} failed: ${error instanceof Error ? error.message : String(error)}`, true);
  }
  void poll();
}

function confirm(text: string): Promise<boolean> {
  dialogText.textContent = text;
  return new Promise((resolve) => {
    const done = () => {
      dialog.removeEventListener('close', done);
      resolve(dialog.returnValue === 'confirm');
    };
    dialog.returnValue = '';
    dialog.addEventListener('close', done);
    dialog.showModal();
    byId('confirm-cancel').focus();
  });
}

function say(text: string, bad: boolean): void {
  fill(announce, h('span', { class: bad ? 'bad' : 'ok' }, text));
}
