import { Breakers } from './breakers';
import type { CallResult } from './upstream-client';

const ok: CallResult = { kind: 'response', status: 200, body: Buffer.from('{}'), contentType: 'application/json', replayed: false, ms: 1 };
const down: CallResult = { kind: 'failed', failure: 'error', detail: 'ECONNREFUSED', reached: false, ms: 1 };
const busy: CallResult = { kind: 'response', status: 503, body: Buffer.from('{}'), contentType: 'application/json', replayed: false, ms: 1 };

describe('Breakers', () => {
  let breakers: Breakers;
  const changes: string[] = [];

  beforeEach(() => {
    changes.length = 0;
    breakers = new Breakers({ errorThresholdPercentage: 50, volumeThreshold: 4, resetTimeoutMs: 60_000, rollingWindowMs: 10_000 }, (route, side, role, state) =>
      changes.push(`${route}/${side}/${role}:${state}`),
    );
  });
  afterEach(() => breakers.shutdown());

  it('passes answers through, 5xx included, without throwing', async () => {
    await expect(breakers.call('r.a', 'module', 'primary', async () => ok)).resolves.toBe(ok);
    await expect(breakers.call('r.a', 'module', 'primary', async () => busy)).resolves.toBe(busy);
    await expect(breakers.call('r.a', 'module', 'primary', async () => down)).resolves.toBe(down);
    await expect(breakers.call('r.a', 'module', 'primary', () => Promise.reject(new Error('boom')))).resolves.toMatchObject({ kind: 'failed', failure: 'error' });
  });

  it('opens per route and side after enough failures, then refuses at once without calling', async () => {
    for (let i = 0; i < 4; i += 1) await breakers.call('r.a', 'module', 'primary', async () => down);
    expect(breakers.state('r.a', 'module')).toBe('open');
    expect(changes).toEqual(['r.a/module/primary:open']);
    const call = jest.fn(async () => ok);
    await expect(breakers.call('r.a', 'module', 'primary', call)).resolves.toMatchObject({ kind: 'failed', failure: 'open' });
    expect(call).not.toHaveBeenCalled();
    expect(breakers.state('r.a', 'monolith')).toBe('closed');
    expect(breakers.state('r.a', 'module', 'shadow')).toBe('closed');
    expect(breakers.state('r.b', 'module')).toBe('closed');
  });

  it('keeps shadow calls apart: shadow failures open the shadow breaker only, never the one primaries and fallbacks use', async () => {
    const timedOut: CallResult = { kind: 'failed', failure: 'timeout', detail: 'no answer within 500 ms', reached: true, ms: 500 };
    for (let i = 0; i < 8; i += 1) await breakers.call('r.a', 'monolith', 'shadow', async () => timedOut);
    expect(breakers.state('r.a', 'monolith', 'shadow')).toBe('open');
    expect(breakers.state('r.a', 'monolith', 'primary')).toBe('closed');
    expect(breakers.state('r.a', 'monolith')).toBe('closed');
    const fallback = jest.fn(async () => ok);
    await expect(breakers.call('r.a', 'monolith', 'primary', fallback)).resolves.toBe(ok);
    expect(fallback).toHaveBeenCalledTimes(1);
    expect(changes).toEqual(['r.a/monolith/shadow:open']);
  });

  it('says an open breaker never reached the upstream', async () => {
    for (let i = 0; i < 4; i += 1) await breakers.call('r.a', 'module', 'primary', async () => down);
    await expect(breakers.call('r.a', 'module', 'primary', async () => ok)).resolves.toMatchObject({ failure: 'open', reached: false });
  });

  it('does not blame the upstream for answers over the byte cap', async () => {
    const tooLarge: CallResult = { kind: 'failed', failure: 'too_large', detail: 'big', reached: true, ms: 1 };
    for (let i = 0; i < 6; i += 1) await breakers.call('r.a', 'module', 'primary', async () => tooLarge);
    expect(breakers.state('r.a', 'module')).toBe('closed');
  });
});
