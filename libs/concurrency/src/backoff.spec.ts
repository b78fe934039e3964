import { backoffDelay } from './backoff';
import { withDeadline } from './deadline';

describe('backoffDelay', () => {
  const options = { baseMs: 100, maxMs: 1_000 };

  it('backs off exponentially with full jitter by default, capped', () => {
    expect(backoffDelay(0, options, () => 1)).toBe(100);
    expect(backoffDelay(3, options, () => 1)).toBe(800);
    expect(backoffDelay(10, options, () => 1)).toBe(1_000);
    expect(backoffDelay(3, options, () => 0.5)).toBe(400);
    expect(backoffDelay(3, options, () => 0)).toBe(0);
  });

  it('with equal jitter waits at least half the ceiling', () => {
    expect(backoffDelay(3, { ...options, jitter: 'equal' }, () => 0)).toBe(400);
    expect(backoffDelay(3, { ...options, jitter: 'equal' }, () => 1)).toBe(800);
    expect(backoffDelay(-1, { ...options, jitter: 'equal' }, () => 0)).toBe(50);
  });
});

describe('withDeadline', () => {
  it('answers with the work when it settles first, and its error when it fails', async () => {
    await expect(withDeadline(Promise.resolve('done'), 60_000, () => 'late')).resolves.toBe('done');
    await expect(withDeadline(Promise.reject(new Error('broken')), 60_000, () => 'late')).rejects.toThrow('broken');
  });

  it('answers with onTimeout when the work does not settle, or rejects with what it throws', async () => {
    const never = new Promise<string>(() => undefined);
    await expect(withDeadline(never, 1, () => 'timed out')).resolves.toBe('timed out');
    await expect(
      withDeadline(never, 1, () => {
        throw new Error('deadline passed');
      }),
    ).rejects.toThrow('deadline passed');
  });
});
