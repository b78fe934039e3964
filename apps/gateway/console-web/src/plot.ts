import { svg } from './dom.js';

/** Small SVG plots; sized by viewBox so they scale with their box. */

export interface SeriesPoint {
  at: number;
  value: number | null;
}

/**
 * A line of values in [floor, 1] over a fixed time span ending now, with a
 * dashed threshold line; gaps (null) break the line.
 */
export function rateLine(points: readonly SeriesPoint[], options: { from: number; to: number; floor: number; threshold?: number; label: string }): SVGElement {
  const width = 300;
  const height = 60;
  const { from, to, floor } = options;
  const x = (at: number) => ((at - from) / Math.max(1, to - from)) * width;
  const y = (value: number) => height - ((Math.max(floor, Math.min(1, value)) - floor) / (1 - floor)) * (height - 4) - 2;
  const segments: string[] = [];
  let current = '';
  for (const point of points) {
    if (point.value === null || point.at < from) {
      if (current) segments.push(current);
      current = '';
      continue;
    }
    current += `${current ? 'L' : 'M'}${x(point.at).toFixed(1)},${y(point.value).toFixed(1)}`;
  }
  if (current) segments.push(current);
  const children: SVGElement[] = [svg('rect', { x: 0, y: 0, width, height, class: 'plot-bg' })];
  if (options.threshold !== undefined && options.threshold >= floor) {
    children.push(svg('line', { x1: 0, x2: width, y1: y(options.threshold), y2: y(options.threshold), class: 'plot-threshold' }));
  }
  for (const d of segments) children.push(svg('path', { d, class: 'plot-line' }));
  const last = [...points].reverse().find((p) => p.value !== null);
  if (last && last.value !== null) children.push(svg('circle', { cx: x(last.at), cy: y(last.value), r: 3, class: 'plot-dot' }));
  return svg('svg', { viewBox: `0 0 ${width} ${height}`, preserveAspectRatio: 'none', role: 'img', 'aria-label': options.label, class: 'plot' }, svg('title', {}, options.label), ...children);
}

/** Bars of values in [0, 1], one per bucket, oldest left; a bar under `threshold` is drawn as bad. */
export function rateBars(values: ReadonlyArray<{ label: string; value: number | null }>, options: { threshold: number; label: string }): SVGElement {
  const width = 600;
  const height = 80;
  const n = Math.max(values.length, 1);
  const bar = width / n;
  const children: SVGElement[] = [svg('rect', { x: 0, y: 0, width, height, class: 'plot-bg' })];
  values.forEach((entry, i) => {
    if (entry.value === null) return;
    const h = Math.max(1, entry.value * (height - 4));
    children.push(
      svg(
        'rect',
        { x: (i * bar + 1).toFixed(1), y: (height - h).toFixed(1), width: Math.max(1, bar - 2).toFixed(1), height: h.toFixed(1), class: entry.value < options.threshold ? 'bar bar-bad' : 'bar' },
        svg('title', {}, `${entry.label}: ${(entry.value * 100).toFixed(2)} %`),
      ),
    );
  });
  return svg('svg', { viewBox: `0 0 ${width} ${height}`, preserveAspectRatio: 'none', role: 'img', 'aria-label': options.label, class: 'plot plot-wide' }, svg('title', {}, options.label), ...children);
}
