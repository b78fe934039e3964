import { fill, h } from './dom.js';
import { clock, count } from './format.js';
import type { RouteReport, RouteView, StoredDiff } from './types.js';

export type NoiseVerdict = 'confirm' | 'reject';

export interface DiffsHandlers {
  /** `reason` is the noise panel's reason field, trimmed ('' when empty); the handler asks for confirmation. */
  decideNoise(route: RouteView, path: string, verdict: NoiseVerdict, reason: string): Promise<void>;
}

/** Where a noise path stands on a route: learned by this replica, confirmed (in the stored ignore list, by a person or the route's configuration), or rejected (compared, never learned). */
type NoiseState = 'learned' | 'confirmed' | 'rejected';

const STATE_TEXT: Record<NoiseState, string> = {
  learned: 'learned — ignored on this replica',
  confirmed: 'ignored on every replica (stored configuration)',
  rejected: 'rejected — compared again, not learned again',
};

const ALL = '';

/**
 * Differences: mismatches by JSON path with counts, the latest sampled
 * examples side by side (monolith left, module right, differing values
 * marked), per route and segment; and each route's learned noise paths.
 */
export class DiffsView {
  private readonly routeSelect: HTMLSelectElement;
  private readonly segmentSelect: HTMLSelectElement;
  private readonly paths: HTMLElement;
  private readonly examples: HTMLElement;
  private readonly noise: HTMLElement;
  private readonly noiseReason: HTMLInputElement;
  private lastKey = '';
  private data: { routes: RouteView[]; reports: RouteReport[]; diffs: StoredDiff[] } = { routes: [], reports: [], diffs: [] };

  constructor(
    root: HTMLElement,
    private readonly handlers: DiffsHandlers,
  ) {
    this.routeSelect = h('select', { id: 'diff-route', onchange: () => this.render(true) });
    this.segmentSelect = h('select', { id: 'diff-segment', onchange: () => this.render(true) });
    this.paths = h('div', { class: 'diff-paths' });
    this.examples = h('div', { class: 'diff-examples' });
    this.noise = h('div', { class: 'noise' });
    // Outside the re-rendered list, so what is typed survives the live updates.
    this.noiseReason = h('input', { id: 'noise-reason', type: 'text', name: 'noise-reason', maxlength: 500, autocomplete: 'off', placeholder: 'e.g. the module really returns a different timestamp' });
    fill(
      root,
      h('div', { class: 'filters' }, h('label', { for: 'diff-route' }, 'Route'), this.routeSelect, h('label', { for: 'diff-segment' }, 'Segment'), this.segmentSelect),
      h('div', { class: 'diff-grid' }, h('div', {}, h('h3', {}, 'Mismatches by JSON path'), this.paths), h('div', {}, h('h3', {}, 'Latest examples'), this.examples)),
      h('h3', {}, 'Learned noise'),
      h('div', { class: 'noise-reason' }, h('label', { for: 'noise-reason' }, 'Reason for a noise decision'), this.noiseReason),
      this.noise,
    );
  }

  clearNoiseReason(): void {
    this.noiseReason.value = '';
  }

  focusNoiseReason(): void {
    this.noiseReason.focus();
  }

  update(routes: RouteView[], reports: RouteReport[], diffs: StoredDiff[]): void {
    this.data = { routes, reports, diffs };
    syncOptions(this.routeSelect, routes.map((r) => r.name), 'every route');
    const report = reports.find((r) => r.route === this.routeSelect.value);
    syncOptions(this.segmentSelect, report ? Object.keys(report.segments) : [], 'every segment');
    this.render(false);
  }

  private render(force: boolean): void {
    const { routes, reports, diffs } = this.data;
    const route = this.routeSelect.value;
    const segment = this.segmentSelect.value;
    const selectedReports = reports.filter((r) => route === ALL || r.route === route);
    const pathRows = selectedReports.flatMap((r) => {
      const window = segment === ALL ? r.overall : r.segments[segment];
      return (window?.mismatchPaths ?? []).map((p) => ({ route: r.route, ...p }));
    });
    const examples = diffs.filter((d) => (route === ALL || d.route === route) && (segment === ALL || d.segment === segment)).slice(0, 6);
    const noise = routes.filter((r) => route === ALL || r.name === route).map((r) => ({ route: r, paths: noisePaths(r) }));
    const key = JSON.stringify([route, segment, pathRows.map((p) => [p.route, p.path, p.count]), examples.map((e) => e.id), noise.map((n) => [n.route.name, n.route.version, n.paths])]);
    if (!force && key === this.lastKey) return;
    this.lastKey = key;

    fill(
      this.paths,
      pathRows.length === 0
        ? h('p', { class: 'muted' }, 'No mismatches in the current windows.')
        : h(
            'table',
            { class: 'data' },
            h('thead', {}, h('tr', {}, h('th', { scope: 'col' }, 'route'), h('th', { scope: 'col' }, 'JSON path'), h('th', { scope: 'col', class: 'num' }, 'count'))),
            h('tbody', {}, ...pathRows.map((p) => h('tr', {}, h('td', {}, p.route), h('td', {}, h('code', {}, p.path)), h('td', { class: 'num' }, count(p.count))))),
          ),
    );
    fill(this.examples, examples.length === 0 ? h('p', { class: 'muted' }, 'No sampled mismatches stored yet.') : h('div', {}, ...examples.map(exampleView)));
    fill(
      this.noise,
      ...noise.map(({ route: r, paths }) =>
        h(
          'div',
          { class: 'noise-route', 'data-noise-route': r.name },
          h('strong', {}, r.name),
          paths.length === 0
            ? h('span', { class: 'muted' }, r.config.noise?.enabled ? ' nothing learned yet' : ' noise detection is off')
            : h('ul', {}, ...paths.map(({ path, state }) => this.noiseItem(r, path, state))),
        ),
      ),
    );
  }

  private noiseItem(route: RouteView, path: string, state: NoiseState): HTMLElement {
    const button = (verdict: NoiseVerdict, text: string) =>
      h('button', { type: 'button', class: 'small', 'aria-label': `${text} ${path} as noise on ${route.name}`, onclick: () => void this.handlers.decideNoise(route, path, verdict, this.noiseReason.value.trim()) }, text);
    return h(
      'li',
      { 'data-noise-path': path, 'data-noise-state': state },
      h('code', {}, path),
      h('span', { class: `badge noise-${state}` }, STATE_TEXT[state]),
      state === 'confirmed' ? null : button('confirm', 'Confirm'),
      state === 'rejected' ? null : button('reject', 'Reject'),
    );
  }
}

/** Every path a person can decide on: learned here, ignored by configuration, or rejected; a decision beats the learner. */
function noisePaths(route: RouteView): Array<{ path: string; state: NoiseState }> {
  const rejected = route.config.noise?.rejected ?? [];
  const confirmed = (route.config.comparison.ignore ?? []).filter((path) => !rejected.includes(path));
  const learned = route.learnedIgnore.filter((path) => !confirmed.includes(path) && !rejected.includes(path));
  return [
    ...learned.map((path) => ({ path, state: 'learned' as const })),
    ...confirmed.map((path) => ({ path, state: 'confirmed' as const })),
    ...rejected.map((path) => ({ path, state: 'rejected' as const })),
  ];
}

function exampleView(diff: StoredDiff): HTMLElement {
  const monolithIsPrimary = diff.primaryUpstream === 'monolith';
  const rows = diff.diffs ?? [];
  return h(
    'section',
    { class: 'example', 'aria-label': `${diff.route} mismatch at ${clock(diff.at)}` },
    h('p', { class: 'example-head' }, h('strong', {}, diff.route), ` ${clock(diff.at)} · ${diff.segment ?? 'no segment'} · ${diff.outcome}${diff.reason ? ` (${diff.reason})` : ''} · request ${diff.requestId}`),
    h(
      'table',
      { class: 'data side-by-side' },
      h('thead', {}, h('tr', {}, h('th', { scope: 'col' }, 'path'), h('th', { scope: 'col' }, `monolith (${monolithIsPrimary ? diff.primaryStatus ?? '—' : diff.shadowStatus ?? '—'})`), h('th', { scope: 'col' }, `module (${monolithIsPrimary ? diff.shadowStatus ?? '—' : diff.primaryStatus ?? '—'})`))),
      h(
        'tbody',
        {},
        ...rows.map((d) => {
          const monolith = monolithIsPrimary ? d.primary : d.shadow;
          const module = monolithIsPrimary ? d.shadow : d.primary;
          return h('tr', {}, h('td', {}, h('code', {}, d.path), h('span', { class: 'muted' }, ` ${d.kind}`)), h('td', {}, h('mark', { class: 'old' }, monolith ?? '(absent)')), h('td', {}, h('mark', { class: 'new' }, module ?? '(absent)')));
        }),
      ),
    ),
    diff.omittedDiffs > 0 ? h('p', { class: 'muted small' }, `${diff.omittedDiffs} more differences not stored`) : null,
  );
}

function syncOptions(select: HTMLSelectElement, values: string[], allLabel: string): void {
  const wanted = [ALL, ...values];
  const have = [...select.options].map((o) => o.value);
  if (JSON.stringify(wanted) === JSON.stringify(have)) return;
  const selected = select.value;
  fill(select, ...wanted.map((value) => h('option', { value }, value === ALL ? allLabel : value)));
  select.value = wanted.includes(selected) ? selected : ALL;
}
