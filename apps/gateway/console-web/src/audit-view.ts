import { fill, h } from './dom.js';
import { dateTime, stepLabel } from './format.js';
import type { AuditEntry } from './types.js';

/** Who changed what, when and why — people (admin:…) and guards (guard:…). */
export class AuditView {
  private lastKey = '';

  constructor(private readonly root: HTMLElement) {}

  update(entries: AuditEntry[]): void {
    const key = entries.map((e) => e.id).join(',');
    if (key === this.lastKey) return;
    this.lastKey = key;
    fill(
      this.root,
      entries.length === 0
        ? h('p', { class: 'muted' }, 'No changes yet.')
        : h(
            'table',
            { class: 'data', id: 'audit-table' },
            h('thead', {}, h('tr', {}, ...['when', 'route', 'who', 'action', 'change', 'why'].map((t) => h('th', { scope: 'col' }, t)))),
            h(
              'tbody',
              {},
              ...entries.map((e) =>
                h(
                  'tr',
                  { 'data-audit-id': e.id },
                  h('td', {}, dateTime(e.at)),
                  h('td', {}, e.route),
                  h('td', {}, e.actor),
                  h('td', {}, e.action),
                  h('td', {}, e.fromStep ? `${stepLabel(e.fromStep)} → ${stepLabel(e.toStep)}` : stepLabel(e.toStep)),
                  h('td', {}, e.reason ?? '—'),
                ),
              ),
            ),
          ),
    );
  }
}
