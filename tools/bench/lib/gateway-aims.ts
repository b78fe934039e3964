// The gateway's aims (issue #17), judged only against baselines measured in the same run:
// on a shared 2-core machine an absolute "≤ 1 ms" cannot be told from noise, a ratio to
// nginx or to a bare Node proxy measured minutes apart on the same cores can.

/** One row's figures at one rate: the pooled p99, each round's own p99, the proxy's CPU per request. */
export interface RateFigures {
  readonly p99: number;
  readonly roundP99s: readonly number[];
  readonly cpuPerRequest?: number;
}

/**
 * Rows by key: `a` monolith directly, `b0` bare Node proxy, `b` gateway without a shadow,
 * `c` gateway with 100 % shadow, `d` nginx proxy_pass + mirror (absent without nginx),
 * `e` = `c` with a shadow 10× slower.
 */
export type RowFigures = Readonly<Record<string, Readonly<Record<number, RateFigures>> | undefined>>;

export interface AimVerdict {
  readonly aim: string;
  readonly rate: number;
  /** What the gateway did and the bound it had to stay within, in words and numbers. */
  readonly measured: number;
  readonly bound: number;
  readonly detail: string;
  /** undefined when a baseline is missing (e.g. nginx not installed): not judged. */
  readonly met: boolean | undefined;
}

export const CPU_RATIO_BOUND = 1.5;
export const P99_MARGIN_MS = 1;
/** The hop aim is stated at the moderate rate only. */
export const HOP_AIM_RATE = 100;

const round2 = (value: number): number => Math.round(value * 100) / 100;
/** `+3.5`, `-2`: a difference with its sign. */
const signed = (value: number): string => `${value >= 0 ? '+' : ''}${value}`;

/** The spread between identical rounds of one row: what this machine's noise alone moves a p99 by. */
export function roundSpread(figures: RateFigures): number {
  return figures.roundP99s.length ? Math.max(...figures.roundP99s) - Math.min(...figures.roundP99s) : Number.NaN;
}

export function judgeGatewayAims(rows: RowFigures, rates: readonly number[]): AimVerdict[] {
  const verdicts: AimVerdict[] = [];
  const at = (key: string, rate: number): RateFigures | undefined => rows[key]?.[rate];

  for (const rate of rates.filter((r) => r === HOP_AIM_RATE)) {
    const [a, c, d] = [at('a', rate), at('c', rate), at('d', rate)];
    if (!a || !c) continue;
    const added = round2(c.p99 - a.p99);
    const nginxAdded = d ? round2(d.p99 - a.p99) : Number.NaN;
    verdicts.push({
      aim: "100 % shadow: the gateway's added p99 ≤ nginx's (proxy_pass + mirror) added p99 + 1 ms",
      rate,
      measured: added,
      bound: round2(nginxAdded + P99_MARGIN_MS),
      detail: d
        ? `gateway ${signed(added)} ms (p99 ${a.p99} → ${c.p99} ms), nginx ${signed(nginxAdded)} ms (→ ${d.p99} ms), bound ${signed(round2(nginxAdded + P99_MARGIN_MS))} ms`
        : `gateway ${signed(added)} ms; no nginx in this run, not judged`,
      met: d ? added <= nginxAdded + P99_MARGIN_MS : undefined,
    });
  }

  for (const rate of rates) {
    const [b0, c] = [at('b0', rate), at('c', rate)];
    if (!b0?.cpuPerRequest || c?.cpuPerRequest === undefined) continue;
    const ratio = round2(c.cpuPerRequest / b0.cpuPerRequest);
    verdicts.push({
      aim: `CPU per request of the gateway (100 % shadow) ≤ ${CPU_RATIO_BOUND}× the bare Node proxy's`,
      rate,
      measured: ratio,
      bound: CPU_RATIO_BOUND,
      detail: `${c.cpuPerRequest} vs ${b0.cpuPerRequest} ms per request: ${ratio}× (bound ${CPU_RATIO_BOUND}×)`,
      met: ratio <= CPU_RATIO_BOUND,
    });
  }

  for (const rate of rates) {
    const [b, c, e] = [at('b', rate), at('c', rate), at('e', rate)];
    if (!b || !c || !e) continue;
    const moved = round2(e.p99 - c.p99);
    const spread = round2(roundSpread(b));
    verdicts.push({
      aim: "a 10× slower shadow moves the primary's p99 by less than the spread between identical rounds of the no-shadow row",
      rate,
      measured: moved,
      bound: spread,
      detail: `p99 ${c.p99} → ${e.p99} ms (${signed(moved)} ms); the no-shadow row's rounds spread ${spread} ms (${b.roundP99s.join(', ')})`,
      met: Number.isFinite(spread) ? Math.abs(moved) < spread : undefined,
    });
  }
  return verdicts;
}

export function verdictLine(verdict: AimVerdict): string {
  const mark = verdict.met === undefined ? 'NOT JUDGED' : verdict.met ? 'MET' : 'NOT MET';
  return `Aim at ${verdict.rate} req/s — ${verdict.aim}: **${mark}** — ${verdict.detail}.`;
}
