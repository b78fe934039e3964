import { failureOutcome, quantile, Recorder, summarize } from './recorder';

describe('Recorder', () => {
  it('summarises outcomes and latency per phase, then over all phases', () => {
    const recorder = new Recorder();
    recorder.phase = 'healthy';
    for (let ms = 1; ms <= 100; ms++) recorder.record(200, ms);
    recorder.phase = 'fault';
    recorder.record(503, 7);
    recorder.record('refused', 1);
    recorder.record(200, 900);
    const [healthy, fault, all] = recorder.summary();
    expect(healthy).toEqual({ phase: 'healthy', attempts: 100, outcomes: { '200': 100 }, p50: 50, p99: 99, max: 100 });
    expect(fault).toEqual({ phase: 'fault', attempts: 3, outcomes: { '503': 1, refused: 1, '200': 1 }, p50: 7, p99: 900, max: 900 });
    expect(all!.attempts).toBe(103);
    expect(all!.outcomes).toEqual({ '200': 101, '503': 1, refused: 1 });
  });

  it('has no latency figures for a phase without attempts', () => {
    expect(summarize('empty', [])).toEqual({ phase: 'empty', attempts: 0, outcomes: {}, p50: null, p99: null, max: null });
    expect(quantile([], 0.5)).toBeNull();
    expect(quantile([3.14159], 0.99)).toBe(3.1);
  });

  it('names how a request failed without an answer', () => {
    expect(failureOutcome(Object.assign(new Error('x'), { cause: { code: 'ECONNREFUSED' } }))).toBe('refused');
    expect(failureOutcome(Object.assign(new Error('x'), { cause: { code: 'UND_ERR_SOCKET' } }))).toBe('reset');
    expect(failureOutcome(new DOMException('late', 'TimeoutError'))).toBe('timeout');
    expect(failureOutcome(new Error('other'))).toBe('error');
  });
});
