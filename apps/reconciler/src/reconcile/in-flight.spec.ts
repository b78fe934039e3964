import { InFlight } from './in-flight';

function deferred() {
  let resolve!: () => void;
  let reject!: (error: Error) => void;
  const promise = new Promise<void>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  return { promise, resolve, reject };
}

describe('InFlight', () => {
  it('runs up to its limit at once and makes the next submit wait for a slot', async () => {
    const tasks = [deferred(), deferred(), deferred()];
    const inFlight = new InFlight(2);
    await inFlight.submit(() => tasks[0]!.promise);
    let second = false;
    const submitting = inFlight.submit(() => tasks[1]!.promise).then(() => (second = true));
    await Promise.resolve();
    expect(inFlight.size).toBe(2);
    expect(second).toBe(false);
    tasks[0]!.resolve();
    await submitting;
    expect(second).toBe(true);
    expect(inFlight.size).toBe(1);
    const third = inFlight.submit(() => tasks[2]!.promise);
    tasks[1]!.resolve();
    await third;
    tasks[2]!.resolve();
    await inFlight.drain();
    expect(inFlight.size).toBe(0);
  });

  it('throws the first failure from the next submit and from drain, never as an unhandled rejection', async () => {
    const inFlight = new InFlight(3);
    const failing = deferred();
    await inFlight.submit(() => failing.promise);
    failing.reject(new Error('broker gone'));
    await inFlight.settle();
    await expect(inFlight.submit(async () => undefined)).rejects.toThrow('broker gone');
    await expect(inFlight.drain()).rejects.toThrow('broker gone');
  });

  it('refuses a limit that could never run anything', () => {
    expect(() => new InFlight(0)).toThrow('positive integer');
  });
});
