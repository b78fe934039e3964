import type { ResponseSide } from './body';
import { compareResponses } from './compare';
import { NoiseLearner } from './noise';
import { withIgnoredPaths } from './spec';

let clock = 1_700_000_000_000;
let requestSeq = 0;

/** What the monolith answers for one availability check: stable data plus per-call noise. */
function monolithResponse(): ResponseSide {
  clock += 7;
  requestSeq += 1;
  return {
    status: 200,
    body: {
      checkedAt: new Date(clock).toISOString(),
      requestId: `req-${requestSeq}`,
      shop: 'demo.myshopify.com',
      lines: [
        { sku: 'A', available: 3, reservedAt: clock },
        { sku: 'B', available: 0, reservedAt: clock + 1 },
      ],
    },
  };
}

describe('NoiseLearner', () => {
  it('learns timestamps and request ids by itself, and not stable fields', () => {
    const learner = new NoiseLearner();
    for (let i = 0; i < 30; i += 1) learner.observe(monolithResponse(), monolithResponse());
    expect(learner.noisyPaths()).toEqual(['$.checkedAt', '$.lines[*].reservedAt', '$.requestId']);
    expect(learner.stats()).toMatchObject({ observations: 30, skipped: 0, trackedPaths: 3 });
  });

  it('never learns an excluded (rejected) path, and forgets what it had counted for it', () => {
    const learner = new NoiseLearner({ exclude: ['$.requestId'] });
    for (let i = 0; i < 30; i += 1) learner.observe(monolithResponse(), monolithResponse());
    expect(learner.noisyPaths()).toEqual(['$.checkedAt', '$.lines[*].reservedAt']);

    learner.exclude(['$.requestId', '$.checkedAt']);
    expect(learner.noisyPaths()).toEqual(['$.lines[*].reservedAt']);
    for (let i = 0; i < 30; i += 1) learner.observe(monolithResponse(), monolithResponse());
    expect(learner.noisyPaths()).toEqual(['$.lines[*].reservedAt']);
    expect(learner.stats().trackedPaths).toBe(1);

    // Taking a path off the list lets it be learned again from new evidence.
    learner.exclude([]);
    for (let i = 0; i < 30; i += 1) learner.observe(monolithResponse(), monolithResponse());
    expect(learner.noisyPaths()).toEqual(['$.checkedAt', '$.lines[*].reservedAt', '$.requestId']);
  });

  it('needs enough observations before calling anything noise', () => {
    const learner = new NoiseLearner({ minObservations: 20 });
    for (let i = 0; i < 19; i += 1) learner.observe(monolithResponse(), monolithResponse());
    expect(learner.noisyPaths()).toEqual([]);
    learner.observe(monolithResponse(), monolithResponse());
    expect(learner.noisyPaths()).toContain('$.requestId');
  });

  it('does not learn a field that differs only rarely (a real race, not noise)', () => {
    const learner = new NoiseLearner({ minObservations: 10, minDifferences: 3, minRatio: 0.25 });
    for (let i = 0; i < 100; i += 1) {
      const stock = (n: number) => ({ status: 200, body: { sku: 'A', available: n } });
      learner.observe(stock(5), stock(i % 20 === 0 ? 4 : 5)); // differs in 5% of pairs
    }
    expect(learner.noisyPaths()).toEqual([]);
    expect(learner.stats().trackedPaths).toBe(1);
  });

  it('measures the ratio over the observations that contain the path', () => {
    const learner = new NoiseLearner({ minObservations: 10, minDifferences: 5, minRatio: 0.5 });
    for (let i = 0; i < 100; i += 1) {
      // An optional block present in 1 response in 5, whose timestamp always differs.
      const withDiscount = i % 5 === 0;
      const body = (at: number) => ({ status: 200, body: withDiscount ? { total: 10, discount: { appliedAt: at } } : { total: 10 } });
      learner.observe(body(i), body(i + 1000));
    }
    expect(learner.noisyPaths()).toEqual(['$.discount.appliedAt']);
  });

  it('makes the learned paths stop primary-vs-shadow mismatches', () => {
    const learner = new NoiseLearner();
    for (let i = 0; i < 30; i += 1) learner.observe(monolithResponse(), monolithResponse());
    const primary = monolithResponse();
    const shadow = monolithResponse();
    expect(compareResponses(primary, shadow).outcome).toBe('mismatch');
    expect(compareResponses(primary, shadow, withIgnoredPaths({}, learner.noisyPaths())).outcome).toBe('match');
  });

  it('respects the spec: arrays compared as sets do not look like noise', () => {
    const shuffled = (flip: boolean): ResponseSide => ({ status: 200, body: { tags: flip ? ['a', 'b'] : ['b', 'a'] } });
    const plain = new NoiseLearner({ minObservations: 5, minDifferences: 2 });
    const asSets = new NoiseLearner({ minObservations: 5, minDifferences: 2, spec: { arraysAsSets: [{ path: 'tags' }] } });
    for (let i = 0; i < 10; i += 1) {
      plain.observe(shuffled(true), shuffled(false));
      asSets.observe(shuffled(true), shuffled(false));
    }
    expect(plain.noisyPaths()).toEqual(['$.tags[*]']);
    expect(asSets.noisyPaths()).toEqual([]);
  });

  it('stays within maxPaths, keeping the strongest candidates', () => {
    const learner = new NoiseLearner({ maxPaths: 10, minObservations: 5, minDifferences: 5, minRatio: 0.5 });
    for (let i = 0; i < 50; i += 1) {
      // One noisy field, plus a fresh one-off key every time (think ids used as object keys).
      learner.observe({ status: 200, body: { at: i, [`k${i}`]: 1 } }, { status: 200, body: { at: i + 1, [`k${i}`]: 2 } });
      expect(learner.stats().trackedPaths).toBeLessThanOrEqual(10);
    }
    expect(learner.noisyPaths()).toEqual(['$.at']);
    expect(learner.stats().droppedPaths).toBeGreaterThan(0);
  });

  it('skips failed calls and oversized bodies without throwing', () => {
    const learner = new NoiseLearner({ spec: { maxBodyBytes: 10 } });
    learner.observe({ failure: 'timeout' }, monolithResponse());
    learner.observe({ status: 200, body: 'x'.repeat(100) }, { status: 200, body: 'x' });
    learner.observe(null as unknown as ResponseSide, monolithResponse());
    expect(learner.stats()).toMatchObject({ observations: 0, skipped: 3 });
  });

  it('rejects an invalid spec at construction', () => {
    expect(() => new NoiseLearner({ spec: { ignore: ['a['] } })).toThrow();
  });
});
