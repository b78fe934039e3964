import { type ChunkProcessorOptions, type FailureKind, processChunk } from './chunk-processor';
import { classifyFailure, PoisonMessageError, TransientError } from './failures';

/** A handler over strings: 'poison…' is bad data, 'down' means the database is away, 'bug' an unknown failure. */
function harness({ down = false, maxAttempts = 3 }: { down?: boolean; maxAttempts?: number } = {}) {
  const applied: string[] = [];
  const deadLettered: Array<{ message: string; attempts: number; reason: string }> = [];
  const calls: string[][] = [];
  const world = { down };
  const options: ChunkProcessorOptions<string> = {
    maxAttempts,
    classify: (error) => classifyFailure(error),
    handler: async (messages) => {
      calls.push(messages);
      if (world.down) throw new TransientError('connection refused');
      if (messages.some((m) => m.startsWith('poison'))) throw new PoisonMessageError('bad data');
      if (messages.includes('bug')) throw new Error('TypeError somewhere');
      applied.push(...messages);
    },
    deadLetter: async (message, error, attempts) => {
      deadLettered.push({ message, attempts, reason: (error as Error).message });
    },
  };
  return { applied, deadLettered, calls, world, options };
}

describe('processChunk', () => {
  it('applies a healthy chunk in one call', async () => {
    const h = harness();
    await expect(processChunk(['a', 'b', 'c'], 0, h.options)).resolves.toEqual({ status: 'done' });
    expect(h.calls).toEqual([['a', 'b', 'c']]);
    expect(h.applied).toEqual(['a', 'b', 'c']);
  });

  it('isolates a poison message: the others are applied in order, only it is dead-lettered, at once', async () => {
    const h = harness();
    await expect(processChunk(['a', 'poison', 'b'], 0, h.options)).resolves.toEqual({ status: 'done' });
    expect(h.applied).toEqual(['a', 'b']);
    expect(h.deadLettered).toEqual([{ message: 'poison', attempts: 1, reason: 'bad data' }]);
  });

  it('never dead-letters during an outage, however many times the chunk failed', async () => {
    const h = harness({ down: true });
    let attempts = 0;
    for (let pass = 0; pass < 1_000; pass++) {
      const outcome = await processChunk(['a', 'poison', 'b'], attempts, h.options);
      expect(outcome).toMatchObject({ status: 'blocked', done: 0, kind: 'transient' });
      if (outcome.status === 'blocked') attempts = outcome.attempts;
    }
    expect(attempts).toBe(1_000);
    expect(h.deadLettered).toEqual([]);
    h.world.down = false;
    await expect(processChunk(['a', 'poison', 'b'], attempts, h.options)).resolves.toEqual({ status: 'done' });
    expect(h.applied).toEqual(['a', 'b']);
    expect(h.deadLettered.map((d) => d.message)).toEqual(['poison']);
  });

  it('stops isolating where the outage begins and resumes from that message', async () => {
    const h = harness();
    const options: ChunkProcessorOptions<string> = {
      ...h.options,
      handler: async (messages) => {
        // The database goes away after 'a' was applied alone.
        if (h.applied.includes('a') && messages.length === 1) h.world.down = true;
        await h.options.handler(messages);
      },
    };
    await expect(processChunk(['a', 'poison', 'b'], 0, options)).resolves.toMatchObject({ status: 'blocked', done: 1, kind: 'transient', attempts: 1 });
    expect(h.applied).toEqual(['a']);
    expect(h.deadLettered).toEqual([]);
  });

  it('retries an unknown failure up to maxAttempts, then dead-letters only what still fails', async () => {
    const h = harness({ maxAttempts: 3 });
    await expect(processChunk(['a', 'bug', 'b'], 0, h.options)).resolves.toMatchObject({ status: 'blocked', kind: 'unknown', attempts: 1 });
    await expect(processChunk(['a', 'bug', 'b'], 1, h.options)).resolves.toMatchObject({ status: 'blocked', kind: 'unknown', attempts: 2 });
    await expect(processChunk(['a', 'bug', 'b'], 2, h.options)).resolves.toEqual({ status: 'done' });
    expect(h.applied).toEqual(['a', 'b']);
    expect(h.deadLettered).toEqual([{ message: 'bug', attempts: 3, reason: 'TypeError somewhere' }]);
  });

  it('blocks instead of skipping a message whose dead letter cannot be published', async () => {
    const h = harness();
    const options: ChunkProcessorOptions<string> = { ...h.options, deadLetter: async () => Promise.reject(new Error('Kafka down')) };
    await expect(processChunk(['a', 'poison', 'b'], 0, options)).resolves.toMatchObject({ status: 'blocked', done: 1, kind: 'transient' });
    await expect(processChunk(['poison'], 0, options)).resolves.toMatchObject({ status: 'blocked', done: 0, kind: 'transient' });
  });
});

describe('classifyFailure', () => {
  it('knows poison, transient markers, socket errors, and what the app adds', () => {
    const kinds: Array<[unknown, FailureKind]> = [
      [new PoisonMessageError('x'), 'poison'],
      [new TransientError('x'), 'transient'],
      [Object.assign(new Error('connect'), { code: 'ECONNREFUSED' }), 'transient'],
      [Object.assign(new Error('reset'), { code: 'ECONNRESET' }), 'transient'],
      [new Error('anything else'), 'unknown'],
    ];
    for (const [error, kind] of kinds) expect(classifyFailure(error)).toBe(kind);
    expect(classifyFailure(Object.assign(new Error('x'), { code: '57P01' }), (e) => (e as { code: string }).code === '57P01')).toBe('transient');
    // Poison wins over what the app calls transient: the handler said so explicitly.
    expect(classifyFailure(new PoisonMessageError('x'), () => true)).toBe('poison');
  });
});
