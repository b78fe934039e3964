import type { KeyClaim, KeyRef, StoredAnswer } from '@understudy/idempotency';
import { type Answer, gatewayError } from '../router/answers';
import { fingerprintOf, IdempotencyHold, type KeyStore, type ServedWrite } from './idempotency-hold';

/** ResponseStore's rules in memory (the real one is tested on PostgreSQL in libs/idempotency). */
class MemoryStore implements KeyStore {
  readonly records = new Map<string, { fingerprint: string; owner: string; state: 'in_flight' | 'done' | 'unknown'; answer?: StoredAnswer }>();
  failing = false;

  async claim(ref: KeyRef, fingerprint: string, owner: string): Promise<KeyClaim> {
    if (this.failing) throw new Error('store down');
    const id = `${ref.scope}/${ref.key}`;
    const record = this.records.get(id);
    if (!record) {
      this.records.set(id, { fingerprint, owner, state: 'in_flight' });
      return { kind: 'claimed', owner };
    }
    if (record.fingerprint !== fingerprint) return { kind: 'mismatch' };
    if (record.state === 'done') return { kind: 'done', answer: record.answer! };
    return { kind: record.state };
  }

  async complete(ref: KeyRef, owner: string, answer: StoredAnswer): Promise<boolean> {
    const record = this.records.get(`${ref.scope}/${ref.key}`);
    if (record?.owner !== owner || record.state !== 'in_flight') return false;
    Object.assign(record, { state: 'done', answer });
    return true;
  }

  async markUnknown(ref: KeyRef, owner: string): Promise<void> {
    const record = this.records.get(`${ref.scope}/${ref.key}`);
    if (record?.owner === owner && record.state === 'in_flight') record.state = 'unknown';
  }

  async release(ref: KeyRef, owner: string): Promise<void> {
    const record = this.records.get(`${ref.scope}/${ref.key}`);
    if (record?.owner === owner && record.state === 'in_flight') this.records.delete(`${ref.scope}/${ref.key}`);
  }
}

const upstreamAnswer = (status: number, body: string, upstream: Answer['upstream'] = 'monolith'): Answer => ({ status, body, contentType: 'application/json', upstream, replayed: false });

/** A fake upstream: counts sends, answers when told to. */
class Upstream {
  sends = 0;
  timeouts: number[] = [];
  afters = 0;
  private pending: Array<(served: ServedWrite) => void> = [];

  forward = (upstreamTimeoutMs: number): Promise<ServedWrite> => {
    this.sends += 1;
    this.timeouts.push(upstreamTimeoutMs);
    return new Promise((resolve) => this.pending.push(resolve));
  };

  answer(answer: Answer, reached = true): void {
    for (const resolve of this.pending.splice(0)) {
      resolve({
        answer,
        reached,
        after: async () => {
          this.afters += 1;
        },
      });
    }
  }
}

describe('IdempotencyHold', () => {
  let store: MemoryStore;
  let upstream: Upstream;
  let hold: IdempotencyHold;
  const results: string[] = [];
  const body = { cartToken: 'lm1.a', lines: [{ variantId: '1', quantity: 1 }] };
  const flush = () => new Promise((resolve) => setImmediate(resolve));

  beforeEach(() => {
    store = new MemoryStore();
    upstream = new Upstream();
    results.length = 0;
    hold = new IdempotencyHold({ store, resolveMs: 30_000, storeTimeoutMs: 1_000, retryAfterSeconds: 1, onResult: (_route, result) => results.push(result) });
  });

  async function serve(key: string | undefined, primaryMs = 5_000, sent: unknown = body): Promise<ServedWrite> {
    return hold.serve('inventory.reserve', key, sent, primaryMs, upstream.forward);
  }

  it('sends a keyed write once, stores its answer and replays it to every retry', async () => {
    const first = serve('k1');
    await flush();
    upstream.answer(upstreamAnswer(201, '{"id":"lmr_1"}'));
    expect((await first).answer).toMatchObject({ status: 201, replayed: false });
    expect(upstream.timeouts).toEqual([30_000]); // the upstream gets the resolve window, not the client's deadline

    for (let i = 0; i < 3; i++) {
      const retry = await serve('k1');
      expect(retry.answer).toMatchObject({ status: 201, upstream: 'monolith', replayed: true, contentType: 'application/json' });
      expect(retry.answer.body.toString()).toBe('{"id":"lmr_1"}');
    }
    expect(upstream.sends).toBe(1);
    expect(results).toEqual(['claimed', 'replayed', 'replayed', 'replayed']);
  });

  it('binds the key to the request: the same key with another body is a 422, the same body spelled in another key order is a replay', async () => {
    const first = serve('k2');
    await flush();
    upstream.answer(upstreamAnswer(409, '{"error":{"code":"INSUFFICIENT_INVENTORY"}}'));
    await first;
    const other = await serve('k2', 5_000, { ...body, lines: [{ variantId: '1', quantity: 2 }] });
    expect(other.answer).toMatchObject({ status: 422, upstream: 'gateway' });
    expect(JSON.parse(other.answer.body.toString())).toMatchObject({ error: { code: 'IDEMPOTENCY_KEY_REUSED' } });
    const reordered = await serve('k2', 5_000, { lines: [{ quantity: 1, variantId: '1' }], cartToken: 'lm1.a' });
    expect(reordered.answer).toMatchObject({ status: 409, replayed: true });
    expect(upstream.sends).toBe(1);
    expect(fingerprintOf({ a: 1, b: [1, { c: 2, d: 3 }] })).toBe(fingerprintOf({ b: [1, { d: 3, c: 2 }], a: 1 }));
  });

  it('answers 504 at the primary deadline, keeps waiting for the upstream, and replays its late answer — never a second send', async () => {
    const first = await serve('k3', 20);
    expect(first.answer).toMatchObject({ status: 504, upstream: 'gateway', retryAfterSeconds: 1 });
    expect(JSON.parse(first.answer.body.toString())).toMatchObject({ error: { code: 'UPSTREAM_TIMEOUT', details: { mayHaveBeenApplied: true } } });
    expect(results).toEqual(['claimed', 'answered_late']);

    // A retry on another replica (no local wait) while the upstream still works: 409, nothing sent.
    const otherReplica = new IdempotencyHold({ store, resolveMs: 30_000, storeTimeoutMs: 1_000, retryAfterSeconds: 1 });
    const busy = await otherReplica.serve('inventory.reserve', 'k3', body, 20, upstream.forward);
    expect(busy.answer).toMatchObject({ status: 409, retryAfterSeconds: 1 });
    expect(JSON.parse(busy.answer.body.toString())).toMatchObject({ error: { code: 'IDEMPOTENCY_IN_PROGRESS' } });

    upstream.answer(upstreamAnswer(201, '{"id":"lmr_late"}'));
    await new Promise((resolve) => setTimeout(resolve, 0));
    await flush();
    const retry = await otherReplica.serve('inventory.reserve', 'k3', body, 20, upstream.forward);
    expect(retry.answer).toMatchObject({ status: 201, replayed: true });
    expect(retry.answer.body.toString()).toBe('{"id":"lmr_late"}');
    expect(upstream.sends).toBe(1);
    expect(upstream.afters).toBe(1); // the shadow of the late write still ran, once
  });

  it('a concurrent duplicate on the same replica waits for the first answer and gets it replayed', async () => {
    const first = serve('k4');
    await flush();
    const duplicate = serve('k4');
    await flush();
    upstream.answer(upstreamAnswer(201, '{"id":"lmr_4"}'));
    expect((await first).answer).toMatchObject({ status: 201, replayed: false });
    expect((await duplicate).answer).toMatchObject({ status: 201, replayed: true });
    expect(upstream.sends).toBe(1);
  });

  it('gives the key back when the write never reached an upstream or the upstream failed (5xx): the retry is sent', async () => {
    const refused = serve('k5');
    await flush();
    upstream.answer(gatewayError(502, 'UPSTREAM_UNAVAILABLE', 'refused'), false);
    expect((await refused).answer.status).toBe(502);
    const failed = serve('k5');
    await flush();
    upstream.answer(upstreamAnswer(503, '{}'));
    expect((await failed).answer.status).toBe(503);
    const retry = serve('k5');
    await flush();
    upstream.answer(upstreamAnswer(201, '{"id":"lmr_5"}'));
    expect((await retry).answer.status).toBe(201);
    expect(upstream.sends).toBe(3);
  });

  it('remembers a write that may have been applied without an answer as unknown: refused with 502, never sent again', async () => {
    const first = serve('k6');
    await flush();
    upstream.answer(gatewayError(504, 'UPSTREAM_TIMEOUT', 'no answer in 30 s'), true);
    expect((await first).answer.status).toBe(504);
    const retry = await serve('k6');
    expect(retry.answer).toMatchObject({ status: 502, upstream: 'gateway' });
    expect(JSON.parse(retry.answer.body.toString())).toMatchObject({ error: { code: 'IDEMPOTENCY_OUTCOME_UNKNOWN', details: { mayHaveBeenApplied: true } } });
    expect(upstream.sends).toBe(1);
  });

  it('serves a write without a key unprotected (the route deadline as before), refuses a malformed key, and never sends when the store is down', async () => {
    const unkeyed = serve(undefined, 700);
    await flush();
    upstream.answer(upstreamAnswer(201, '{}'));
    expect((await unkeyed).answer.status).toBe(201);
    expect(upstream.timeouts).toEqual([700]);
    expect(store.records.size).toBe(0);

    const malformed = await serve('has space');
    expect(malformed.answer.status).toBe(400);
    expect(JSON.parse(malformed.answer.body.toString())).toMatchObject({ error: { code: 'VALIDATION_FAILED', details: { issues: [{ path: 'Idempotency-Key' }] } } });
    expect((await serve('x'.repeat(256))).answer.status).toBe(400);

    store.failing = true;
    const down = await serve('k7');
    expect(down.answer).toMatchObject({ status: 503, retryAfterSeconds: 1 });
    expect(JSON.parse(down.answer.body.toString())).toMatchObject({ error: { code: 'IDEMPOTENCY_UNAVAILABLE' } });
    expect(upstream.sends).toBe(1);
    expect(results).toEqual(['unkeyed', 'invalid_key', 'invalid_key', 'store_unavailable']);
  });

  it('asks the module again with the same key when it may hold the write without having answered, and stores what it says', async () => {
    const resends: string[] = [];
    const answers = [gatewayError(502, 'UPSTREAM_UNAVAILABLE', 'refused'), upstreamAnswer(409, '{"error":{"code":"IDEMPOTENCY_KEY_IN_USE"}}', 'module'), upstreamAnswer(201, '{"id":"inv_1"}', 'module')];
    const forward = async (): Promise<ServedWrite> => {
      upstream.sends += 1;
      return {
        answer: gatewayError(502, 'UPSTREAM_UNAVAILABLE', 'connection reset during the write'),
        reached: true,
        after: async () => undefined,
        resend: async () => {
          const answer = answers.shift()!;
          resends.push(String(answer.status));
          return { answer, reached: answer.upstream !== 'gateway', after: async () => undefined };
        },
      };
    };
    const first = await hold.serve('inventory.reserve', 'k9', body, 5_000, forward);
    expect(first.answer).toMatchObject({ status: 502, retryAfterSeconds: 1 }); // at once, while the gateway finds out
    // The retry (same replica) waits for the resolution: not "refused" (module down), not "still processing", but the
    // module's own 201 for this key, stored and replayed.
    const retry = await hold.serve('inventory.reserve', 'k9', body, 5_000, forward);
    expect(retry.answer).toMatchObject({ status: 201, upstream: 'module', replayed: true });
    expect(resends).toEqual(['502', '409', '201']);
    expect(upstream.sends).toBe(1);
  });

  it('scopes keys per route', async () => {
    const a = hold.serve('inventory.reserve', 'k8', body, 5_000, upstream.forward);
    await flush();
    upstream.answer(upstreamAnswer(201, '{"id":"a"}'));
    await a;
    const b = hold.serve('cart.write', 'k8', body, 5_000, upstream.forward);
    await flush();
    upstream.answer(upstreamAnswer(201, '{"id":"b"}'));
    expect((await b).answer).toMatchObject({ status: 201, replayed: false });
    expect(upstream.sends).toBe(2);
  });
});
