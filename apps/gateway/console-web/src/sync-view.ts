import { fill, h } from './dom.js';
import { count, dateTime, percent } from './format.js';
import { rateBars } from './plot.js';
import type { ReconcilerRead, SyncView } from './types.js';

/**
 * Shopify sync from the reconciler (through the gateway's /admin/sync): the
 * latest runs with drift by kind and subscription health, the end-to-end
 * delivery ratio per hour, dead letters. Each part degrades on its own to
 * the reason it could not be read.
 */
export class SyncPanel {
  private lastKey = '';

  constructor(private readonly root: HTMLElement) {}

  update(sync: SyncView): void {
    const key = JSON.stringify(sync);
    if (key === this.lastKey) return;
    this.lastKey = key;
    if (!sync.runs.available && !sync.delivery.available) {
      fill(this.root, h('p', { class: 'notice', role: 'status' }, h('strong', {}, 'Reconciler unavailable'), ` — ${sync.runs.reason}. Routes, differences and the audit log do not depend on it.`));
      return;
    }
    fill(
      this.root,
      h('div', { class: 'sync-grid' }, h('div', {}, h('h3', {}, 'Latest runs'), runsView(sync.runs)), h('div', {}, h('h3', {}, 'Subscriptions'), subscriptionsView(sync.runs), h('h3', {}, 'Dead letters'), deadLettersView(sync.deadLetters))),
      h('h3', {}, 'Delivery ratio per hour (webhooks that reached the module ÷ changes Shopify made)'),
      deliveryView(sync.delivery),
    );
  }
}

type Json = Record<string, unknown>;
const isObject = (value: unknown): value is Json => typeof value === 'object' && value !== null && !Array.isArray(value);
const num = (value: unknown): number | undefined => (typeof value === 'number' && Number.isFinite(value) ? value : undefined);
const str = (value: unknown): string => (typeof value === 'string' ? value : value === undefined || value === null ? '—' : String(value));

function listOf(body: unknown, key: string): Json[] {
  if (Array.isArray(body)) return body.filter(isObject);
  if (isObject(body) && Array.isArray(body[key])) return (body[key] as unknown[]).filter(isObject);
  return [];
}

function unavailable(read: ReconcilerRead): HTMLElement | undefined {
  return read.available ? undefined : h('p', { class: 'muted' }, `unavailable: ${read.reason}`);
}

function runsView(read: ReconcilerRead): HTMLElement {
  if (!read.available) return unavailable(read)!;
  const runs = listOf(read.body, 'runs');
  if (runs.length === 0) return h('p', { class: 'muted' }, 'No runs yet.');
  return h(
    'table',
    { class: 'data' },
    h('thead', {}, h('tr', {}, ...['started', 'domains', 'mode', 'state', 'missing', 'stale', 'extra', 'mismatch', 'published'].map((t) => h('th', { scope: 'col' }, t)))),
    h(
      'tbody',
      {},
      ...runs.map((run) => {
        const drift = isObject(run['drift']) ? run['drift'] : {};
        const domains = Array.isArray(run['domains']) ? run['domains'].join(', ') : str(run['domains']);
        return h(
          'tr',
          {},
          h('td', {}, typeof run['startedAt'] === 'string' ? dateTime(run['startedAt']) : '—'),
          h('td', {}, domains),
          h('td', {}, `${str(run['mode'])}${run['dryRun'] === true ? ' (dry run)' : ''}`),
          h('td', { class: `state-${str(run['state'])}` }, str(run['state']), typeof run['error'] === 'string' ? ` — ${run['error']}` : ''),
          ...['missing', 'stale', 'extra', 'mismatch'].map((kind) => h('td', { class: 'num' }, count(num(drift[kind])))),
          h('td', { class: 'num' }, count(num(run['published']))),
        );
      }),
    ),
  );
}

function subscriptionsView(read: ReconcilerRead): HTMLElement {
  if (!read.available) return unavailable(read)!;
  const latest = listOf(read.body, 'runs').find((run) => isObject(run['subscriptions']));
  if (!latest) return h('p', { class: 'muted' }, 'No run has checked subscriptions yet.');
  const subs = latest['subscriptions'] as Json;
  const expected = num(subs['expected']);
  const present = num(subs['present']);
  const healthy = expected !== undefined && present !== undefined && present >= expected;
  return h('p', { class: healthy ? 'ok' : 'bad' }, `${count(present)} of ${count(expected)} webhook subscriptions present; ${count(num(subs['restored']))} restored by the last run.`);
}

function deadLettersView(read: ReconcilerRead): HTMLElement {
  if (!read.available) return unavailable(read)!;
  const body = read.body;
  const topics = listOf(body, 'topics');
  if (topics.length > 0) return h('ul', {}, ...topics.map((t) => h('li', {}, h('code', {}, str(t['topic'])), `: ${count(num(t['count']) ?? num(t['messages']))}`)));
  if (isObject(body) && num(body['count']) !== undefined) return h('p', {}, `${count(num(body['count']))} dead letters`);
  return h('p', { class: 'muted' }, 'None reported.');
}

/** The ratios per hour, wherever the answer keeps them (per shop or flat); shops summed per hour. */
function deliveryView(read: ReconcilerRead): HTMLElement {
  if (!read.available) return unavailable(read)!;
  const rows: Json[] = [];
  const collect = (value: unknown) => {
    if (Array.isArray(value)) value.forEach(collect);
    else if (isObject(value)) {
      if ('ratio' in value && ('hour' in value || 'from' in value || 'at' in value)) rows.push(value);
      else Object.values(value).forEach(collect);
    }
  };
  collect(read.body);
  if (rows.length === 0) return h('p', { class: 'muted' }, 'No changes measured yet.');
  const byHour = new Map<string, { changes: number; viaWebhook: number; ratio: number | undefined }>();
  for (const row of rows) {
    const hour = str(row['hour'] ?? row['from'] ?? row['at']);
    const entry = byHour.get(hour) ?? { changes: 0, viaWebhook: 0, ratio: undefined };
    entry.changes += num(row['changes']) ?? 0;
    entry.viaWebhook += num(row['viaWebhook']) ?? 0;
    entry.ratio = num(row['ratio']);
    byHour.set(hour, entry);
  }
  const hours = [...byHour.entries()].sort(([a], [b]) => a.localeCompare(b));
  const threshold = isObject(read.body) ? (num(read.body['alertBelow']) ?? num(read.body['threshold']) ?? 0.999) : 0.999;
  const values = hours.map(([hour, e]) => ({ label: hour, value: e.changes > 0 ? e.viaWebhook / e.changes : (e.ratio ?? null) }));
  const last = values.at(-1);
  return h('div', {}, rateBars(values, { threshold, label: `delivery ratio per hour, threshold ${percent(threshold)}` }), h('p', { class: 'muted small' }, `${hours.length} hours · latest ${percent(last?.value ?? null)} · alert below ${percent(threshold, 1)}`));
}
