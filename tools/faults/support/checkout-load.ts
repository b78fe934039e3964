import { randomBytes, randomUUID } from 'node:crypto';
import { signLegacyCartToken } from '@understudy/contracts';
import { LOCAL_CART_TOKEN_SECRET } from './apps';
import { failureOutcome, type Outcome, Recorder } from './recorder';
import { sleep } from './webhooks';

/** One reservation a checkout client asked for: a new cart, one line, its own Idempotency-Key (kept for every retry). */
export interface ReservationAttempt {
  cartId: string;
  cartToken: string;
  key: string;
  variantId: string;
  /** The last answer: 201 and 409 are definitive; anything else is retried after the fault. */
  outcome: Outcome;
  upstream?: string;
  reservationId?: string;
  /** The last answer's `error.code`, when it had one. */
  code?: string;
  /** Answers of the gateway's 504 for a write still being resolved (`mayHaveBeenApplied`), over every attempt. */
  answeredLate: number;
}

/** 201 and a refusal (409 INSUFFICIENT_INVENTORY) are final; a 409 IDEMPOTENCY_IN_PROGRESS says "ask again". */
export const definitive = (reservation: Pick<ReservationAttempt, 'outcome' | 'code'>) =>
  reservation.outcome === 201 || (reservation.outcome === 409 && reservation.code !== 'IDEMPOTENCY_IN_PROGRESS');

/**
 * Checkout traffic through the gateway: workers that each check a variant's
 * availability, then reserve one unit of it for a new cart (ttl 15 s, so stock
 * comes back), pausing between rounds. Every answer is recorded by phase.
 */
export class CheckoutLoad {
  readonly recorder = new Recorder();
  /** The availability checks alone (reads: in module-primary they fall back, so they never fail). */
  readonly checks = new Recorder();
  readonly reservations: ReservationAttempt[] = [];
  private stopped = false;

  constructor(
    private readonly gatewayUrl: string,
    private readonly variantIds: readonly string[],
    private readonly options: { concurrency?: number; pauseMs?: number; timeoutMs?: number } = {},
  ) {}

  stop(): void {
    this.stopped = true;
  }

  async run(): Promise<void> {
    let round = 0;
    const worker = async () => {
      while (!this.stopped) {
        const variantId = this.variantIds[round++ % this.variantIds.length]!;
        const cartId = `c${randomBytes(9).toString('base64url')}`;
        const cartToken = signLegacyCartToken(cartId, LOCAL_CART_TOKEN_SECRET);
        await this.send('/v1/inventory/check', { variantId, quantity: 1, cartToken });
        const reservation: ReservationAttempt = { cartId, cartToken, key: randomUUID(), variantId, outcome: 'error', answeredLate: 0 };
        this.reservations.push(reservation);
        await this.reserve(reservation);
        await sleep(this.options.pauseMs ?? 50);
      }
    };
    await Promise.all(Array.from({ length: this.options.concurrency ?? 6 }, worker));
  }

  /** Retries every reservation without a definitive answer (same key, same cart), as a client would once the fault is over. */
  async settle(deadlineMs = 60_000): Promise<void> {
    const deadline = Date.now() + deadlineMs;
    for (const reservation of this.reservations) {
      const refused = () => typeof reservation.outcome === 'number' && reservation.outcome < 500 && reservation.code !== 'IDEMPOTENCY_IN_PROGRESS';
      while (!definitive(reservation) && !refused() && Date.now() < deadline) {
        await this.reserve(reservation);
        if (!definitive(reservation)) await sleep(250);
      }
    }
  }

  private async reserve(reservation: ReservationAttempt): Promise<void> {
    const { outcome, headers, body } = await this.send(
      '/v1/inventory/reservations',
      { cartToken: reservation.cartToken, lines: [{ variantId: reservation.variantId, quantity: 1 }], ttlSeconds: 15 },
      { 'idempotency-key': reservation.key },
    );
    reservation.outcome = outcome;
    reservation.upstream = headers?.get('x-understudy-upstream') ?? undefined;
    reservation.reservationId = outcome === 201 ? (body as { id?: string }).id : undefined;
    const error = (body as { error?: { code?: string; details?: { mayHaveBeenApplied?: boolean } } } | undefined)?.error;
    reservation.code = error?.code;
    if (outcome === 504 && error?.details?.mayHaveBeenApplied) reservation.answeredLate += 1;
  }

  private async send(path: string, payload: unknown, headers: Record<string, string> = {}): Promise<{ outcome: Outcome; headers?: Headers; body?: unknown }> {
    const started = performance.now();
    try {
      const response = await fetch(`${this.gatewayUrl}${path}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...headers },
        body: JSON.stringify(payload),
        signal: AbortSignal.timeout(this.options.timeoutMs ?? 10_000),
      });
      const text = await response.text();
      this.note(path, response.status, performance.now() - started);
      return { outcome: response.status, headers: response.headers, body: text ? (JSON.parse(text) as unknown) : undefined };
    } catch (error) {
      const outcome = failureOutcome(error);
      this.note(path, outcome, performance.now() - started);
      return { outcome };
    }
  }

  private note(path: string, outcome: Outcome, ms: number): void {
    this.recorder.record(outcome, ms);
    if (path.endsWith('/check')) this.checks.record(outcome, ms, this.recorder.phase);
  }
}

/** Checkout requests no client should send: each must get a 4xx from the gateway, whatever the module is doing. */
export function badCheckoutRequests(variantId: string): Array<{ path: string; body: string }> {
  const cartToken = signLegacyCartToken('c-bad-input', LOCAL_CART_TOKEN_SECRET);
  return [
    { path: '/v1/inventory/check', body: JSON.stringify({ variantId: '99999999999999999999', quantity: 1 }) },
    { path: '/v1/inventory/check', body: JSON.stringify({ variantId, quantity: 0 }) },
    { path: '/v1/inventory/check', body: '{"variantId": ' },
    { path: '/v1/inventory/reservations', body: JSON.stringify({ cartToken, lines: [] }) },
    { path: '/v1/inventory/reservations', body: JSON.stringify({ cartToken, lines: [{ variantId: '99999999999999999999', quantity: 1 }] }) },
    { path: '/v1/inventory/check', body: JSON.stringify({ variantId, quantity: 1, cartToken: 'lm1.forged.signature' }) },
  ];
}
