/** Formatting shared by the views. */
export function percent(rate: number | null | undefined, digits = 2): string {
  if (rate === null || rate === undefined || !Number.isFinite(rate)) return '—';
  return `${(rate * 100).toFixed(digits)} %`;
}

export function ms(value: number | undefined): string {
  if (value === undefined || !Number.isFinite(value)) return '—';
  return value < 10 ? `${value.toFixed(2)} ms` : `${Math.round(value)} ms`;
}

export function count(value: number | undefined): string {
  return value === undefined ? '—' : value.toLocaleString('en-US');
}

export interface Step {
  mode: string;
  percent: number;
}

export function stepLabel(step: Step): string {
  if (step.mode === 'monolith') return 'monolith';
  if (step.mode === 'module-only') return 'module-only';
  return `${step.mode} ${step.percent} %`;
}

export function shortStep(step: Step): string {
  if (step.mode === 'monolith') return 'M';
  if (step.mode === 'module-only') return 'only';
  return `${step.mode === 'shadow' ? 'S' : 'P'}${step.percent}`;
}

export function clock(iso: string | number): string {
  const date = new Date(iso);
  return Number.isNaN(date.getTime()) ? '—' : date.toISOString().slice(11, 19);
}

export function dateTime(iso: string): string {
  const date = new Date(iso);
  return Number.isNaN(date.getTime()) ? '—' : `${date.toISOString().slice(0, 10)} ${date.toISOString().slice(11, 19)} UTC`;
}
