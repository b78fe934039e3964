import { fill, h, svg } from './dom.js';
import { count, ms, percent, shortStep, type Step, stepLabel } from './format.js';
import { rateLine } from './plot.js';
import type { MatchPoint, RouteReport, RouteView } from './types.js';

export type RouteAction = 'promote' | 'rollback' | 'freeze' | 'unfreeze';

export interface RouteCardHandlers {
  act(route: RouteView, action: RouteAction, reason: string): Promise<void>;
}

const HISTORY_MS = 15 * 60_000;

/**
 * One route's card. Built once; `update` refills its figures, leaving the
 * reason field and the buttons alone so typing and focus survive the live
 * updates.
 */
export class RouteCard {
  readonly element: HTMLElement;
  private readonly header: HTMLElement;
  private readonly ramp: HTMLElement;
  private readonly rate: HTMLElement;
  private readonly plot: HTMLElement;
  private readonly figures: HTMLElement;
  private readonly guard: HTMLElement;
  private readonly topDiffs: HTMLElement;
  private readonly reason: HTMLInputElement;
  private readonly freezeButton: HTMLButtonElement;
  private readonly promoteButton: HTMLButtonElement;
  private readonly rollbackButton: HTMLButtonElement;
  private route: RouteView | undefined;

  constructor(
    readonly name: string,
    handlers: RouteCardHandlers,
  ) {
    const id = name.replace(/[^a-z0-9]/gi, '-');
    this.header = h('div', { class: 'card-head' });
    this.ramp = h('div', { class: 'ramp' });
    this.rate = h('div', { class: 'rate' });
    this.plot = h('div', { class: 'rate-plot' });
    this.figures = h('div', { class: 'figures' });
    this.guard = h('p', { class: 'guard' });
    this.topDiffs = h('p', { class: 'top-diffs' });
    this.reason = h('input', { id: `reason-${id}`, type: 'text', name: 'reason', maxlength: 500, autocomplete: 'off', placeholder: 'e.g. mismatches on reorder points' });
    const button = (label: string, action: () => RouteAction, cls = '') =>
      h('button', {
        type: 'button',
        class: cls,
        onclick: () => {
          if (this.route) void handlers.act(this.route, action(), this.reason.value.trim()).then(() => undefined);
        },
      }, label);
    this.promoteButton = button('Promote', () => 'promote');
    this.rollbackButton = button('Roll back', () => 'rollback', 'danger');
    this.freezeButton = button('Freeze', () => (this.route?.frozen ? 'unfreeze' : 'freeze'));
    this.element = h(
      'article',
      { class: 'card', 'aria-labelledby': `title-${id}`, 'data-route': name },
      h('h3', { id: `title-${id}` }, name),
      this.header,
      this.ramp,
      h('div', { class: 'rate-row' }, this.rate, this.plot),
      this.figures,
      this.topDiffs,
      this.guard,
      h(
        'form',
        { class: 'actions', 'aria-label': `Change ${name}`, onsubmit: (event: Event) => event.preventDefault() },
        h('label', { for: `reason-${id}` }, `Reason for ${name}`),
        this.reason,
        h('div', { class: 'buttons' }, this.promoteButton, this.rollbackButton, this.freezeButton),
      ),
    );
  }

  clearReason(): void {
    this.reason.value = '';
  }

  update(route: RouteView, report: RouteReport | undefined, history: readonly MatchPoint[], now: number): void {
    this.route = route;
    const steps: Step[] = [{ mode: 'monolith', percent: 0 }, ...route.config.ramp];
    const position = route.step.mode === 'monolith' ? 0 : route.rampPosition + 1;
    const next = position >= 0 && position + 1 < steps.length ? steps[position + 1] : undefined;
    fill(
      this.header,
      h('span', { class: `badge mode-${route.mode}` }, stepLabel(route.step)),
      route.frozen ? h('span', { class: 'badge frozen' }, 'frozen') : null,
      h('span', { class: 'muted' }, `v${route.version}`),
      h('span', { class: 'muted' }, next ? `next: ${stepLabel(next)}` : 'last step'),
    );
    fill(this.ramp, rampDrawing(steps, position, route.name));

    const overall = report?.overall;
    const samples = overall?.samples ?? 0;
    fill(
      this.rate,
      h('span', { class: 'rate-value', 'data-testid': 'match-rate' }, samples > 0 ? percent(overall!.matchRate) : '—'),
      h('span', { class: 'muted' }, samples > 0 ? `match rate, ${count(samples)} compared` : 'no comparisons yet'),
    );
    const threshold = route.config.guards.promotion.minMatchRate;
    fill(
      this.plot,
      rateLine(
        history.map((p) => ({ at: p.at, value: p.matchRate })),
        { from: now - HISTORY_MS, to: now, floor: 0.9, threshold, label: `${route.name} match rate over the last 15 minutes (axis 90–100 %)` },
      ),
      h('span', { class: 'muted small' }, '15 min · 90–100 %'),
    );

    const monolithSide = route.mode === 'module-primary' || route.mode === 'module-only' ? 'shadow' : 'primary';
    const moduleSide = monolithSide === 'primary' ? 'shadow' : 'primary';
    const lat = overall?.latency;
    const c = overall?.counts;
    fill(
      this.figures,
      h(
        'table',
        { class: 'mini' },
        h('caption', { class: 'sr-only' }, `${route.name} latency and errors`),
        h('thead', {}, h('tr', {}, h('th', { scope: 'col' }, ''), h('th', { scope: 'col' }, 'p50'), h('th', { scope: 'col' }, 'p99'), h('th', { scope: 'col' }, 'breaker'))),
        h(
          'tbody',
          {},
          h('tr', {}, h('th', { scope: 'row' }, 'monolith'), h('td', {}, ms(lat?.[monolithSide].p50)), h('td', {}, ms(lat?.[monolithSide].p99)), h('td', { class: `breaker-${route.breakers.monolith}` }, route.breakers.monolith)),
          h('tr', {}, h('th', { scope: 'row' }, 'module'), h('td', {}, ms(lat?.[moduleSide].p50)), h('td', {}, ms(lat?.[moduleSide].p99)), h('td', { class: `breaker-${route.breakers.module}` }, route.breakers.module)),
        ),
      ),
      h(
        'dl',
        { class: 'counts' },
        h('dt', {}, 'mismatches'),
        h('dd', {}, count(c?.mismatch)),
        h('dt', {}, 'module errors'),
        h('dd', {}, overall ? `${count(overall.moduleFailures)} of ${count(overall.moduleCalls)}` : '—'),
        h('dt', {}, 'errors / timeouts'),
        h('dd', {}, c ? `${count(c.error)} / ${count(c.timeout)}` : '—'),
        h('dt', {}, 'skipped shadows'),
        h('dd', {}, count(c?.skipped)),
      ),
    );
    const top = (overall?.mismatchPaths ?? []).slice(0, 3);
    fill(
      this.topDiffs,
      ...(top.length === 0
        ? []
        : ['Differs at ', ...top.flatMap((p, i) => [i > 0 ? ', ' : '', h('code', {}, p.path), ` (${count(p.count)})`]), samples > 0 ? ` of ${count(samples)} compared` : '']),
    );
    const guard = report?.guard;
    fill(
      this.guard,
      h('strong', {}, guard ? `Guard: ${guard.action}` : 'Guard: —'),
      guard ? ` — ${guard.reason}` : '',
    );
    this.freezeButton.textContent = route.frozen ? 'Unfreeze' : 'Freeze';
    this.promoteButton.disabled = next === undefined;
    this.rollbackButton.disabled = route.step.mode === 'monolith';
  }
}

/** The ramp as a staircase: passed steps filled, the current one marked, the next one outlined. */
function rampDrawing(steps: readonly Step[], position: number, route: string): SVGElement {
  const width = 400;
  const height = 46;
  const gap = 4;
  const w = (width - gap * (steps.length - 1)) / steps.length;
  const children: SVGElement[] = [];
  steps.forEach((step, i) => {
    const barHeight = 6 + (i / Math.max(1, steps.length - 1)) * 22;
    const state = i < position ? 'passed' : i === position ? 'current' : i === position + 1 ? 'next' : 'future';
    const x = i * (w + gap);
    children.push(
      svg('rect', { x: x.toFixed(1), y: (30 - barHeight).toFixed(1), width: w.toFixed(1), height: barHeight.toFixed(1), rx: 2, class: `ramp-${state}` }, svg('title', {}, `${stepLabel(step)}${state === 'current' ? ' (current)' : state === 'next' ? ' (next)' : ''}`)),
      svg('text', { x: (x + w / 2).toFixed(1), y: 42, class: `ramp-label ramp-label-${state}`, 'text-anchor': 'middle' }, shortStep(step)),
    );
  });
  const current = steps[position];
  return svg('svg', { viewBox: `0 0 ${width} ${height}`, role: 'img', class: 'ramp-svg', 'aria-label': `${route} ramp: ${current ? stepLabel(current) : 'off the ramp'}, step ${position + 1} of ${steps.length}` }, ...children);
}
