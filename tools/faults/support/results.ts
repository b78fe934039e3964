import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { PhaseSummary } from './recorder';

/** One scenario's measured figures, as the suite writes them (tmp/faults/scenarios/<id>.json). */
export interface ScenarioResult {
  id: string;
  title: string;
  /** What was broken, and how. */
  fault: string;
  /** The load the client drove. */
  load: string;
  /** What the client saw, per phase (and `all`). */
  phases: PhaseSummary[];
  /** Exact accounting against the sender's ids. */
  accounting: { sent: number; acknowledged: number; lost: number; appliedTwice: number; notes?: string };
  /** Bad requests mixed into the load: how they were answered. */
  badInput: { sent: number; outcomes: Record<string, number> };
  seconds: number;
}

export const resultsDir = (root: string) => path.join(root, 'tmp/faults');

export function saveScenario(root: string, result: ScenarioResult): void {
  const dir = path.join(resultsDir(root), 'scenarios');
  mkdirSync(dir, { recursive: true });
  writeFileSync(path.join(dir, `${result.id}.json`), `${JSON.stringify(result, null, 2)}\n`);
}

export function loadScenarios(root: string): ScenarioResult[] {
  const dir = path.join(resultsDir(root), 'scenarios');
  let files: string[];
  try {
    files = readdirSync(dir).filter((file) => file.endsWith('.json'));
  } catch {
    return [];
  }
  return files.sort().map((file) => JSON.parse(readFileSync(path.join(dir, file), 'utf8')) as ScenarioResult);
}

const outcomes = (counts: Record<string, number>) =>
  Object.entries(counts)
    .sort(([a], [b]) => a.localeCompare(b, 'en', { numeric: true }))
    .map(([outcome, count]) => `${outcome}×${count}`)
    .join(', ') || '—';
const ms = (value: number | null) => (value === null ? '—' : String(Math.round(value)));

/** The markdown table of docs/reliability.md: one row per scenario and phase. */
export function renderTable(results: readonly ScenarioResult[]): string {
  const lines = [
    '| scenario | phase | client saw | p50 / p99 / max ms | sent | acked | lost | applied twice | bad input answered |',
    '| --- | --- | --- | --- | --: | --: | --: | --: | --- |',
  ];
  for (const result of results) {
    const phases = result.phases.filter((phase) => phase.phase !== 'all');
    phases.forEach((phase, i) => {
      const first = i === 0;
      lines.push(
        `| ${first ? `**${result.title}**` : ''} | ${phase.phase} | ${outcomes(phase.outcomes)} | ${ms(phase.p50)} / ${ms(phase.p99)} / ${ms(phase.max)} | ` +
          `${first ? result.accounting.sent : ''} | ${first ? result.accounting.acknowledged : ''} | ${first ? result.accounting.lost : ''} | ${first ? result.accounting.appliedTwice : ''} | ` +
          `${first ? outcomes(result.badInput.outcomes) : ''} |`,
      );
    });
  }
  return lines.join('\n');
}

const BEGIN = '<!-- fault-table:begin (npm run test:faults, then npm run faults:doc) -->';
const END = '<!-- fault-table:end -->';

/** `doc` with the text between the table markers replaced. */
export function replaceTable(doc: string, table: string, when: string): string {
  const start = doc.indexOf(BEGIN);
  const end = doc.indexOf(END);
  if (start < 0 || end < start) throw new Error(`the document has no ${BEGIN} … ${END} markers`);
  return `${doc.slice(0, start + BEGIN.length)}\n\n_Measured ${when}._\n\n${table}\n\n${doc.slice(end)}`;
}
