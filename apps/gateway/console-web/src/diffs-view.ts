import { fill, h } from './dom.js';
import { clock, count } from './format.js';
import type { RouteReport, RouteView, StoredDiff } from './types.js';

export interface DiffsHandlers {
  confirmNoise(route: RouteView, path: string): Promise<void>;
}

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
    fill(
      root,
      h('div', { class: 'filters' }, h('label', { for: 'diff-route' }, 'Route'), this.routeSelect, h('label', { for: 'diff-segment' }, 'Segment'), this.segmentSelect),
      h('div', { class: 'diff-grid' }, h('div', {}, h('h3', {}, 'Mismatches by JSON path'), this.paths), h('div', {}, h('h3', {}, 'Latest examples'), this.examples)),
      h('h3', {}, 'Learned noise'),
      this.noise,
    );
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
    const noise = routes.filter((r) => route === ALL || r.name === route).map((r) => ({ route: r, learned: r.learnedIgnore, confirmed: r.config.comparison.ignore ?? [] }));
    const key = JSON.stringify([route, segment, pathRows.map((p) => [p.route, p.path, p.count]), examples.map((e) => e.id), noise.map((n) => [n.route.name, n.learned, n.confirmed])]);
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
      ...noise.map(({ route: r, learned, confirmed }) =>
        h(
          'div',
          { class: 'noise-route' },
          h('strong', {}, r.name),
          learned.length === 0
            ? h('span', { class: 'muted' }, r.config.noise?.enabled ? ' nothing learned yet' : ' noise detection is off')
            : h(
                'ul',
                {},
                ...learned.map((path) =>
                  h(
                    'li',
                    {},
                    h('code', {}, path),
                    confirmed.includes(path)
                      ? h('span', { class: 'badge ok' }, 'confirmed')
                      : h('button', { type: 'button', class: 'small', 'aria-label': `Confirm ${path} as noise on ${r.name}`, onclick: () => void this.handlers.confirmNoise(r, path) }, 'Confirm'),
                  ),
                ),
              ),
          confirmed.filter((path) => !learned.includes(path)).length > 0
            ? h('p', { class: 'muted small' }, `ignored by configuration: ${confirmed.filter((path) => !learned.includes(path)).join(', ')}`)
            : null,
        ),
      ),
    );
  }
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
