import { judgeGatewayAims, roundSpread, verdictLine } from './gateway-aims';

const figures = (p99: number, roundP99s: number[] = [p99], cpuPerRequest?: number) => ({ p99, roundP99s, ...(cpuPerRequest === undefined ? {} : { cpuPerRequest }) });

describe('judgeGatewayAims', () => {
  const rows = {
    a: { 100: figures(4), 500: figures(5) },
    b0: { 100: figures(5, [5], 0.8), 500: figures(6, [6], 0.4) },
    b: { 100: figures(6, [5.5, 6, 7.5], 1.0), 500: figures(8, [7, 8, 8.5], 0.5) },
    c: { 100: figures(7, [7], 1.2), 500: figures(9, [9], 0.7) },
    d: { 100: figures(6.5, [6.5], 0.4), 500: figures(7, [7], 0.2) },
    e: { 100: figures(8.9, [8.9], 1.2), 500: figures(12, [12], 0.7) },
  };

  it('judges the hop against nginx at 100 req/s only, with the 1 ms margin', () => {
    const [hop, ...rest] = judgeGatewayAims(rows, [100, 500]);
    expect(hop).toMatchObject({ rate: 100, measured: 3, bound: 3.5, met: true });
    expect(rest.filter((v) => v.aim.includes('nginx'))).toHaveLength(0);
    const slower = judgeGatewayAims({ ...rows, c: { ...rows.c, 100: figures(7.6, [7.6], 1.2) } }, [100]);
    expect(slower[0]).toMatchObject({ measured: 3.6, met: false });
  });

  it('judges CPU per request as a ratio to the bare Node proxy at every rate', () => {
    const cpu = judgeGatewayAims(rows, [100, 500]).filter((v) => v.aim.startsWith('CPU'));
    expect(cpu).toEqual([expect.objectContaining({ rate: 100, measured: 1.5, met: true }), expect.objectContaining({ rate: 500, measured: 1.75, met: false })]);
  });

  it("judges the slow shadow's move against the no-shadow row's spread between rounds", () => {
    const slow = judgeGatewayAims(rows, [100, 500]).filter((v) => v.aim.includes('slower'));
    // 100: moved 1.9 ms, spread 2 ms; 500: moved 3 ms, spread 1.5 ms.
    expect(slow).toEqual([expect.objectContaining({ rate: 100, measured: 1.9, bound: 2, met: true }), expect.objectContaining({ rate: 500, measured: 3, bound: 1.5, met: false })]);
    // A p99 that falls by more than the spread moved too.
    const faster = judgeGatewayAims({ ...rows, e: { ...rows.e, 100: figures(4, [4]) } }, [100]).filter((v) => v.aim.includes('slower'));
    expect(faster[0]!.met).toBe(false);
  });

  it('does not judge what has no baseline in the run', () => {
    const { d: _nginx, ...withoutNginx } = rows;
    const [hop] = judgeGatewayAims(withoutNginx, [100]);
    expect(hop!.met).toBeUndefined();
    expect(verdictLine(hop!)).toContain('NOT JUDGED');
    expect(roundSpread(figures(1, []))).toBeNaN();
  });
});
