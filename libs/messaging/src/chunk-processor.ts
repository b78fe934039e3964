/**
 * The consumer's decision procedure for one chunk of one partition, free of
 * kafkajs so it can be tested with plain arrays:
 *
 * - the chunk is applied whole; on success every message is done;
 * - a **transient** failure (the database or the network is down, a timeout,
 *   a deadlock) blocks the partition: nothing is dead-lettered, however long
 *   the outage lasts — the caller pauses the partition and tries again later;
 * - a **poison** failure (the message's own data cannot be applied) makes the
 *   chunk be re-applied message by message, so only the bad message is
 *   dead-lettered and the others are applied;
 * - an **unknown** failure (neither: most likely a bug) blocks the partition
 *   like a transient one until the chunk has failed `maxAttempts` times, then
 *   the chunk is split and what still fails is dead-lettered, so one bad
 *   message cannot stop a partition forever.
 */
export type FailureKind = 'poison' | 'transient' | 'unknown';

export interface ChunkProcessorOptions<M> {
  /** Applies messages of one partition, in order; idempotent. */
  handler: (messages: M[]) => Promise<void>;
  classify: (error: unknown) => FailureKind;
  deadLetter: (message: M, error: unknown, attempts: number) => Promise<void>;
  /** Failures of an unknown kind a chunk may have before it is split and dead-lettered. */
  maxAttempts: number;
}

export type ChunkOutcome =
  | { status: 'done' }
  /**
   * The first `done` messages are done (applied or dead-lettered); the rest
   * must be tried again later, from message `done`, which has now failed
   * `attempts` times in a row.
   */
  | { status: 'blocked'; done: number; kind: 'transient' | 'unknown'; error: unknown; attempts: number };

/**
 * `previousAttempts`: how many times in a row the chunk starting with this
 * same first message failed before (0 for a fresh chunk); the caller keeps it
 * across its pauses.
 */
export async function processChunk<M>(chunk: readonly M[], previousAttempts: number, options: ChunkProcessorOptions<M>): Promise<ChunkOutcome> {
  if (chunk.length === 0) return { status: 'done' };
  const failure = await attempt(chunk, options);
  if (failure === undefined) return { status: 'done' };
  const attempts = previousAttempts + 1;
  const kind = options.classify(failure);
  if (kind === 'transient') return { status: 'blocked', done: 0, kind, error: failure, attempts };
  if (kind === 'unknown' && attempts < options.maxAttempts) return { status: 'blocked', done: 0, kind, error: failure, attempts };

  // Poison, or unknown and out of attempts: isolate the message(s) that fail.
  if (chunk.length === 1) {
    const unpublished = await deadLetter(chunk[0]!, failure, attempts, options);
    return unpublished ? { status: 'blocked', done: 0, kind: 'transient', error: unpublished, attempts } : { status: 'done' };
  }
  const exhausted = kind === 'unknown';
  for (let index = 0; index < chunk.length; index++) {
    const message = chunk[index]!;
    const error = await attempt([message], options);
    if (error === undefined) continue;
    const messageKind = options.classify(error);
    if (messageKind === 'transient' || (messageKind === 'unknown' && !exhausted)) {
      // Not this message's fault (or not known to be): try again from here, as a new chunk.
      return { status: 'blocked', done: index, kind: messageKind, error, attempts: 1 };
    }
    const unpublished = await deadLetter(message, error, exhausted ? attempts : 1, options);
    if (unpublished) return { status: 'blocked', done: index, kind: 'transient', error: unpublished, attempts: 1 };
  }
  return { status: 'done' };
}

/** A dead letter that cannot be published (Kafka down) blocks the partition; the message is never skipped. */
async function deadLetter<M>(message: M, error: unknown, attempts: number, options: ChunkProcessorOptions<M>): Promise<unknown> {
  try {
    await options.deadLetter(message, error, attempts);
    return undefined;
  } catch (publishError) {
    return publishError ?? new Error('dead letter not published');
  }
}

async function attempt<M>(messages: readonly M[], options: ChunkProcessorOptions<M>): Promise<unknown> {
  try {
    await options.handler([...messages]);
    return undefined;
  } catch (error) {
    // A handler may throw anything, even undefined; keep "failed" distinguishable from "succeeded".
    return error ?? new Error('handler failed without an error');
  }
}
