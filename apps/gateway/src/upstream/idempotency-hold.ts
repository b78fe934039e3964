import { createHash, randomUUID } from 'node:crypto';
import { backoffDelay, withDeadline } from '@understudy/concurrency';
import { idempotencyKeySchema, zodIssues } from '@understudy/contracts';
import type { KeyClaim, KeyRef, StoredAnswer } from '@understudy/idempotency';
import { type Answer, gatewayError, gatewayValidationFailed } from '../router/answers';

/** What the router made of one write: the answer, the bookkeeping to run after it, and whether the write may have reached an upstream. */
export interface ServedWrite {
  readonly answer: Answer;
  readonly after: () => Promise<void>;
  /** False only when no upstream can have seen the write (refused connection, open breaker, rejected by the gateway). */
  readonly reached: boolean;
  /**
   * Present when the write may be at an upstream that deduplicates on the Idempotency-Key (the module) without
   * an answer: the same request to that upstream again, safe to repeat, which tells what happened.
   */
  readonly resend?: () => Promise<ServedWrite>;
}

/** The part of `ResponseStore` (libs/idempotency) the hold uses. */
export interface KeyStore {
  claim(ref: KeyRef, fingerprint: string, owner: string): Promise<KeyClaim>;
  complete(ref: KeyRef, owner: string, answer: StoredAnswer): Promise<boolean>;
  markUnknown(ref: KeyRef, owner: string): Promise<void>;
  release(ref: KeyRef, owner: string): Promise<void>;
}

export type HoldResult = 'unkeyed' | 'invalid_key' | 'claimed' | 'replayed' | 'in_progress' | 'reused' | 'unknown' | 'store_unavailable' | 'answered_late';

export interface IdempotencyHoldOptions {
  readonly store: KeyStore;
  /** How long the gateway keeps waiting for an upstream's answer to a write after the client was told it is still being resolved. */
  readonly resolveMs: number;
  /** Deadline of each call to the store. */
  readonly storeTimeoutMs: number;
  /** `Retry-After` on 409 in-progress, 503 store-unavailable and the 504 of a write still being resolved. */
  readonly retryAfterSeconds: number;
  readonly onResult?: (route: string, result: HoldResult) => void;
  readonly onError?: (error: unknown, what: string) => void;
  readonly newOwner?: () => string;
}

/**
 * At most once per Idempotency-Key for writes, held by the gateway itself:
 * the legacy monolith ignores the header, so a client retrying an answer it
 * never got would otherwise reserve twice there.
 *
 * - A keyed write claims `(route, key)` with a fingerprint of its validated
 *   body before any upstream sees it; the claim is PostgreSQL's (one winner
 *   across replicas).
 * - The claimant's upstream calls get `resolveMs`, not the route's primary
 *   timeout: when the primary timeout passes, the client gets a 504
 *   (`mayHaveBeenApplied`, Retry-After) while the gateway keeps waiting for
 *   the upstream's real answer in the background and stores it.
 * - A retry while that is under way: on the same replica it waits for the
 *   answer up to the primary timeout; otherwise (or still nothing) 409
 *   `IDEMPOTENCY_IN_PROGRESS` with Retry-After. Once stored, every retry gets
 *   the stored status and body (`idempotent-replayed: true`). Never a second send.
 * - The same key with another body: 422 `IDEMPOTENCY_KEY_REUSED`.
 * - An upstream's own answer below 500 is stored; a 5xx (the upstream failed
 *   and rolled back) or a write that never reached an upstream gives the key
 *   back, so the retry is sent. A write that may have been applied but got no
 *   answer (none within `resolveMs`, connection lost after sending): if it
 *   went to the module, which deduplicates on the forwarded key, the gateway
 *   asks the module again with the same key (`resend`, backing off, for up to
 *   `resolveMs`) and stores what it says; otherwise — the monolith — it is
 *   remembered as `unknown`: retries get 502 `IDEMPOTENCY_OUTCOME_UNKNOWN` and
 *   it is not sent again.
 * - Without a key a write is served as before, unprotected (Stripe's rule);
 *   the store being unreachable is a 503, never an unprotected send.
 */
export class IdempotencyHold {
  /** This replica's writes in flight, by key, resolving once their outcome is stored. */
  private readonly local = new Map<string, Promise<void>>();
  private readonly newOwner: () => string;

  constructor(private readonly options: IdempotencyHoldOptions) {
    this.newOwner = options.newOwner ?? randomUUID;
  }

  /** Writes in flight on this replica (claimed, outcome not yet stored). */
  get inFlight(): number {
    return this.local.size;
  }

  /**
   * Serves one write: `forward(upstreamTimeoutMs)` sends it (at most once per
   * key); `primaryMs` is how long the client waits for its answer.
   */
  async serve(route: string, key: string | undefined, body: unknown, primaryMs: number, forward: (upstreamTimeoutMs: number) => Promise<ServedWrite>): Promise<ServedWrite> {
    if (key === undefined) {
      this.count(route, 'unkeyed');
      return forward(primaryMs);
    }
    const parsed = idempotencyKeySchema.safeParse(key);
    if (!parsed.success) {
      this.count(route, 'invalid_key');
      return notSent(gatewayValidationFailed(zodIssues(parsed.error, 'Idempotency-Key')));
    }
    const ref: KeyRef = { scope: route, key };
    const fingerprint = fingerprintOf(body);
    const owner = this.newOwner();
    let waited = false;
    for (;;) {
      let claim: KeyClaim;
      try {
        claim = await withDeadline(this.options.store.claim(ref, fingerprint, owner), this.options.storeTimeoutMs, () => {
          throw new Error(`the idempotency store did not answer within ${this.options.storeTimeoutMs} ms`);
        });
      } catch (error) {
        this.options.onError?.(error, 'claim');
        this.count(route, 'store_unavailable');
        return notSent(
          this.retryLater(gatewayError(503, 'IDEMPOTENCY_UNAVAILABLE', 'the gateway cannot check this Idempotency-Key right now, so the write was not sent; retry with the same key')),
        );
      }
      switch (claim.kind) {
        case 'claimed':
          this.count(route, 'claimed');
          return this.send(route, ref, owner, primaryMs, forward);
        case 'done':
          this.count(route, 'replayed');
          return notSent({ status: claim.answer.status, body: claim.answer.body, contentType: claim.answer.contentType, upstream: claim.answer.upstream as Answer['upstream'], replayed: true });
        case 'mismatch':
          this.count(route, 'reused');
          return notSent(gatewayError(422, 'IDEMPOTENCY_KEY_REUSED', 'this Idempotency-Key was used with a different request'));
        case 'unknown':
          this.count(route, 'unknown');
          return notSent(
            gatewayError(
              502,
              'IDEMPOTENCY_OUTCOME_UNKNOWN',
              'an earlier request with this Idempotency-Key may have been applied and its answer never came; it will not be sent again under this key',
              { mayHaveBeenApplied: true },
            ),
          );
        case 'in_flight': {
          const running = this.local.get(localKey(ref));
          if (running && !waited) {
            // The first request is ours: its answer may come before the client's own deadline.
            waited = true;
            await withDeadline(running, primaryMs, () => undefined);
            continue;
          }
          this.count(route, 'in_progress');
          return notSent(
            this.retryLater(
              gatewayError(409, 'IDEMPOTENCY_IN_PROGRESS', 'a request with this Idempotency-Key is still being answered; retry with the same key', { mayHaveBeenApplied: true }),
            ),
          );
        }
      }
    }
  }

  /** The claimant's path: the upstream gets `resolveMs`, the client `primaryMs`. */
  private async send(route: string, ref: KeyRef, owner: string, primaryMs: number, forward: (upstreamTimeoutMs: number) => Promise<ServedWrite>): Promise<ServedWrite> {
    const work = forward(Math.max(primaryMs, this.options.resolveMs));
    const settled = work.then(
      (served) => this.settle(ref, owner, served),
      async (error: unknown) => {
        // The router never throws; if it did, nobody knows whether the write went out.
        this.options.onError?.(error, 'forward');
        await this.store('markUnknown', () => this.options.store.markUnknown(ref, owner));
      },
    );
    const tracked = settled.finally(() => this.local.delete(localKey(ref)));
    this.local.set(localKey(ref), tracked);
    const inTime = await withDeadline(
      work.then((served) => ({ served })),
      primaryMs,
      () => undefined,
    ).catch(() => undefined);
    if (inTime) {
      // An outcome is stored before the client hears it, so its retry is a replay, not a 409. A write still being
      // resolved (asking the module again) is answered now, as it is, with Retry-After.
      if (needsResolving(inTime.served)) return { ...inTime.served, answer: this.retryLater(inTime.served.answer) };
      await tracked;
      return inTime.served;
    }
    this.count(route, 'answered_late');
    // The answer goes out now; the write's own bookkeeping (shadow, stats) runs once the upstream answered.
    void tracked.then(async () => {
      const served = await work.catch(() => undefined);
      if (served) await served.after();
    });
    return notSent(
      this.retryLater(
        gatewayError(
          504,
          'UPSTREAM_TIMEOUT',
          'the upstream did not answer this write in time; it may have been applied and it will not be sent again: retry with the same Idempotency-Key for its answer',
          { mayHaveBeenApplied: true },
        ),
      ),
    );
  }

  private async settle(ref: KeyRef, owner: string, served: ServedWrite): Promise<void> {
    const first = served.answer;
    if (!definitive(first) && !needsResolving(served)) {
      // The upstream failed and rolled back (5xx), or nobody saw the write: the retry may send it.
      await this.store('release', () => this.options.store.release(ref, owner));
      return;
    }
    let current = first;
    const deadline = Date.now() + this.options.resolveMs;
    for (let attempt = 1; !definitive(current); attempt++) {
      // Sent, no answer: only an upstream that deduplicates on the key may be asked again; the outcome is unknown otherwise.
      if (!served.resend || Date.now() >= deadline) {
        await this.store('markUnknown', () => this.options.store.markUnknown(ref, owner));
        return;
      }
      await new Promise((resolve) => setTimeout(resolve, backoffDelay(attempt, RESEND_BACKOFF)));
      current = (await served.resend().catch(() => undefined))?.answer ?? current;
    }
    const stored: StoredAnswer = { status: current.status, contentType: current.contentType, upstream: current.upstream, body: Buffer.from(current.body) };
    await this.store('complete', () => this.options.store.complete(ref, owner, stored));
  }

  /**
   * A store write with its deadline, tried three times. If all fail the claim
   * stays `in_flight` and reads as `unknown` once abandoned: the write is then
   * refused, never sent twice.
   */
  private async store(what: string, call: () => Promise<unknown>): Promise<void> {
    for (let attempt = 1; attempt <= 3; attempt++) {
      try {
        await withDeadline(call(), this.options.storeTimeoutMs, () => {
          throw new Error(`the idempotency store did not answer within ${this.options.storeTimeoutMs} ms`);
        });
        return;
      } catch (error) {
        this.options.onError?.(error, what);
        if (attempt < 3) await new Promise((resolve) => setTimeout(resolve, 200 * attempt));
      }
    }
  }

  private retryLater(answer: Answer): Answer {
    return { ...answer, retryAfterSeconds: this.options.retryAfterSeconds };
  }

  private count(route: string, result: HoldResult): void {
    this.options.onResult?.(route, result);
  }
}

/** Between asks of a module that may have applied a write: 200 ms doubling to 2 s (libs/concurrency backoffDelay, attempt from 1), half of it jittered so replicas do not ask in step. */
const RESEND_BACKOFF = { baseMs: 100, maxMs: 2_000, jitter: 'equal' } as const;

/** An upstream's own answer that settles the write (stored and replayed). */
function definitive(answer: Answer): boolean {
  return answer.upstream !== 'gateway' && answer.status < 500 && !upstreamStillWorking(answer);
}

/** Sent, and no outcome: the write may have been applied. */
function needsResolving(served: ServedWrite): boolean {
  const { answer } = served;
  if (definitive(answer)) return false;
  return answer.upstream === 'gateway' ? served.reached : upstreamStillWorking(answer);
}

/** The module's own "this key is being processed" (409 IDEMPOTENCY_KEY_IN_USE): not an outcome, ask again. */
function upstreamStillWorking(answer: Answer): boolean {
  if (answer.upstream === 'gateway' || answer.status !== 409) return false;
  try {
    return (JSON.parse(answer.body.toString()) as { error?: { code?: string } }).error?.code === 'IDEMPOTENCY_KEY_IN_USE';
  } catch {
    return false;
  }
}

function notSent(answer: Answer): ServedWrite {
  return { answer, after: async () => undefined, reached: false };
}

function localKey(ref: KeyRef): string {
  return `${ref.scope}\u0000${ref.key}`;
}

/** The request a key is bound to: the validated body, keys sorted, so two spellings of one JSON object agree. */
export function fingerprintOf(body: unknown): string {
  return createHash('sha256').update(canonicalJson(body)).digest('hex');
}

function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
  }
  return JSON.stringify(value) ?? 'null';
}
