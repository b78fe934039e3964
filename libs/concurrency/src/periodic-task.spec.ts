import { PeriodicTask } from './periodic-task';

describe('PeriodicTask', () => {
  beforeEach(() => jest.useFakeTimers());
  afterEach(() => jest.useRealTimers());

  it('runs every interval from the end of the last run, never two at once', async () => {
    let active = 0;
    let most = 0;
    const starts: number[] = [];
    const task = new PeriodicTask({
      intervalMs: 100,
      run: async () => {
        starts.push(Date.now());
        active += 1;
        most = Math.max(most, active);
        await new Promise((resolve) => setTimeout(resolve, 250));
        active -= 1;
      },
    });
    const t0 = Date.now();
    task.start();
    await jest.advanceTimersByTimeAsync(1_100);
    await task.stop();
    // Starts at 100, then 100 + 250 + 100 = 450, then 800: a slow run delays the next, never overlaps it.
    expect(starts.map((at) => at - t0)).toEqual([100, 450, 800]);
    expect(most).toBe(1);
  });

  it('runs at once when asked to, and a run that throws is reported without ending the schedule', async () => {
    const errors: unknown[] = [];
    let runs = 0;
    const task = new PeriodicTask({
      intervalMs: 50,
      runAtStart: true,
      run: async () => {
        runs += 1;
        if (runs === 1) throw new Error('first run fails');
      },
      onError: (error) => errors.push(error),
    });
    task.start();
    await jest.advanceTimersByTimeAsync(0);
    expect(runs).toBe(1);
    await jest.advanceTimersByTimeAsync(120);
    await task.stop();
    expect(runs).toBe(3);
    expect(errors).toEqual([new Error('first run fails')]);
  });

  it('stop() waits for the run in progress and no run starts after it', async () => {
    let release!: () => void;
    let ended = false;
    let runs = 0;
    const task = new PeriodicTask({
      intervalMs: 10,
      run: async () => {
        runs += 1;
        await new Promise<void>((resolve) => (release = resolve));
        ended = true;
      },
    });
    task.start();
    await jest.advanceTimersByTimeAsync(10);
    expect(runs).toBe(1);
    let stopped = false;
    const stopping = task.stop().then(() => (stopped = true));
    await jest.advanceTimersByTimeAsync(100);
    expect(stopped).toBe(false);
    release();
    await stopping;
    expect({ ended, stopped }).toEqual({ ended: true, stopped: true });
    await jest.advanceTimersByTimeAsync(100);
    expect(runs).toBe(1);
  });

  it('never runs when stopped before its first run, and start() after stop() does nothing', async () => {
    const run = jest.fn(async () => undefined);
    const task = new PeriodicTask({ intervalMs: 10, run });
    task.start();
    await task.stop();
    task.start();
    await jest.advanceTimersByTimeAsync(100);
    expect(run).not.toHaveBeenCalled();
  });
});
