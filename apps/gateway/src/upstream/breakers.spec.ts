import { Breakers } from './breakers';
import type { CallResult } from './upstream-client';

const ok: CallResult = { kind: 'response', status: 200, body: Buffer.from('{}'), contentType: 'application/json', replayed: false, ms: 1 };
const down: CallResult = { kind: 'failed', failure: 'error', detail: 'ECONNREFUSED', ms: 1 };
const busy: CallResult = { kind: 'response', status: 503, body: Buffer.from('{}'), contentType: 'application/json', replayed: false, ms: 1 };

describe('Breakers', () => {
  let breakers: Breakers;
  const changes: string[] = [];

  beforeEach(() => {
    changes.length = 0;
    breakers = new Breakers({ errorThresholdPercentage: 50, volumeThreshold: 4, resetTimeoutMs: 60_000, rollingWindowMs: 10_000 }, (route, side, state) =>
      changes.push(`${route}/${side}:${state}`),
    );
  });
  afterEach(() => breakers.shutdown());

  it('passes answers through, 5xx included, without throwing', async () => {
    await expect(breakers.call('r.a', 'module', async () => ok)).resolves.toBe(ok);
    await expect(breakers.call('r.a', 'module', async () => busy)).resolves.toBe(busy);
    await expect(breakers.call('r.a', 'module', async () => down)).resolves.toBe(down);
    await expect(breakers.call('r.a', 'module', () => Promise.reject(new Error('boom')))).resolves.toMatchObject({ kind: 'failed', failure: 'error' });
  });

  it('opens per route and side after enough failures, then refuses at once without calling', async () => {
    for (let i = 0; i < 4; i += 1) await breakers.call('r.a', 'module', async () => down);
    expect(breakers.state('r.a', 'module')).toBe('open');
    expect(changes).toEqual(['r.a/module:open']);
    const call = jest.fn(async () => ok);
    await expect(breakers.call('r.a', 'module', call)).resolves.toMatchObject({ kind: 'failed', failure: 'open' });
    expect(call).not.toHaveBeenCalled();
    expect(breakers.state('r.a', 'monolith')).toBe('closed');
    expect(breakers.state('r.b', 'module')).toBe('closed');
  });

  it('does not blame the upstream for answers over the byte cap', async () => {
    const tooLarge: CallResult = { kind: 'failed', failure: 'too_large', detail: 'big', ms: 1 };
    for (let i = 0; i < 6; i += 1) await breakers.call('r.a', 'module', async () => tooLarge);
    expect(breakers.state('r.a', 'module')).toBe('closed');
  });
});
