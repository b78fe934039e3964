import path from 'node:path';
import { waitFor } from '@understudy/testing';
import { badCheckoutRequests, CheckoutLoad, definitive, type ReservationAttempt } from './support/checkout-load';
import { CheckoutStack, MODULE_PROXY } from './support/checkout-stack';
import { Lab } from './support/lab';
import { Recorder } from './support/recorder';
import { saveScenario } from './support/results';
import { post, sleep } from './support/webhooks';

/**
 * Checkout through the gateway while the inventory module, behind toxiproxy,
 * turns 10× slow, then answers after the gateway's deadline, then is
 * unreachable, then recovers — once with the route in `shadow` (the monolith
 * answers) and once in `module-primary` (the module answers, the monolith is
 * the fallback). What checkout saw is recorded per phase; the accounting is
 * exact, per cart: every 201 is one reservation, held in exactly one system.
 */
const root = path.resolve(__dirname, '../..');
const PRIMARY_MS = 1_000;
const SHADOW_MS = 500;

describe('checkout through the gateway while the module degrades', () => {
  let lab: Lab;
  let stack: CheckoutStack;

  beforeAll(async () => {
    lab = await Lab.start();
    stack = new CheckoutStack(lab);
    await stack.start();
  });

  afterAll(async () => {
    await stack?.stop();
    await lab?.stop();
  });

  /** The module's own p50 through the proxy, to make it exactly 10× slower. */
  async function moduleP50(): Promise<number> {
    const times: number[] = [];
    const variantId = stack.variants[0]!.variantId;
    const proxied = `http://${(await proxyAddress())}`;
    for (let i = 0; i < 30; i++) {
      const { ms } = await post(`${proxied}/v1/check`, JSON.stringify({ variantId, quantity: 1 }), { 'content-type': 'application/json' }, 5_000);
      times.push(ms);
    }
    return times.sort((a, b) => a - b)[15]!;
  }
  let address: string | undefined;
  async function proxyAddress(): Promise<string> {
    if (!address) {
      const proxies = (await (await fetch(`${lab.toxiproxy.apiUrl}/proxies`)).json()) as Record<string, { listen: string }>;
      address = proxies[MODULE_PROXY]!.listen;
    }
    return address;
  }

  async function holdings(reservations: readonly ReservationAttempt[]) {
    const carts = reservations.map((r) => r.cartId);
    const module = await lab.pg.query<{ cart: string; ids: string[] }>('SELECT cart_token AS cart, array_agg(id::text) AS ids FROM reservations WHERE cart_token = ANY($1) GROUP BY 1', [carts], 'faults_inventory');
    const monolith = await lab.pg.query<{ cart: string; ids: string[] }>(
      "SELECT cart_id AS cart, array_agg('lmr_' || reservation_id) AS ids FROM lm_reservations WHERE cart_id = ANY($1) GROUP BY 1",
      [carts],
      'faults_monolith',
    );
    const held = new Map<string, { module: string[]; monolith: string[] }>();
    for (const cart of carts) held.set(cart, { module: [], monolith: [] });
    for (const row of module) held.get(row.cart)!.module.push(...row.ids);
    for (const row of monolith) held.get(row.cart)!.monolith.push(...row.ids);
    return held;
  }

  async function scenario(id: string, mode: 'shadow' | 'module-primary') {
    const started = Date.now();
    for (const route of ['inventory.check', 'inventory.reserve']) {
      await stack.configure(route, { mode, shadowPercent: 100, timeouts: { primaryMs: PRIMARY_MS, shadowMs: SHADOW_MS } });
    }
    const baseline = await moduleP50();
    const slowBy = Math.max(5, Math.round(9 * baseline));
    const load = new CheckoutLoad(stack.gateway.url, stack.variants.filter((v) => v.tracked).map((v) => v.variantId));
    const bad = new Recorder();
    const phase = (name: string) => {
      load.recorder.phase = name;
      bad.phase = name;
    };
    phase('healthy');
    let sending = true;
    const badLoop = (async () => {
      for (let i = 0; sending; i++) {
        const cases = badCheckoutRequests(stack.variants[0]!.variantId);
        const request = cases[i % cases.length]!;
        const { outcome, ms } = await post(`${stack.gateway.url}${request.path}`, request.body, { 'content-type': 'application/json' }, 10_000);
        bad.record(outcome, ms);
        await sleep(100);
      }
    })();
    const running = load.run();
    await sleep(4_000);
    phase(`module 10× slow (+${slowBy} ms)`);
    await lab.toxiproxy.addToxic(MODULE_PROXY, 'slow', { type: 'latency', attributes: { latency: slowBy, jitter: Math.round(slowBy / 10) } });
    await sleep(6_000);
    phase(`module answers after the deadline (+${PRIMARY_MS + 500} ms)`);
    await lab.toxiproxy.removeToxic(MODULE_PROXY, 'slow');
    await lab.toxiproxy.addToxic(MODULE_PROXY, 'late', { type: 'latency', attributes: { latency: PRIMARY_MS + 500 } });
    await sleep(5_000);
    phase('module down (connections refused)');
    await lab.toxiproxy.removeToxic(MODULE_PROXY, 'late');
    await lab.toxiproxy.setEnabled(MODULE_PROXY, false);
    await sleep(5_000);
    phase('module back');
    await lab.toxiproxy.setEnabled(MODULE_PROXY, true);
    await sleep(7_000);
    load.stop();
    await running;
    sending = false;
    await badLoop;
    // Wait out a breaker still open from the outage, then retry what had no definitive answer.
    await waitFor(async () => (await fetch(`${stack.gateway.url}/health/ready`)).ok, { what: 'the gateway ready' });
    phase('client retries (same keys)');
    await load.settle();

    const held = await holdings(load.reservations);
    const problems: string[] = [];
    let lost = 0;
    let doubled = 0;
    // Carts whose reservation the monolith (which ignores Idempotency-Key) made twice: the gateway's hold must keep this at zero.
    const twiceInMonolith: string[] = [];
    for (const reservation of load.reservations) {
      const { module, monolith } = held.get(reservation.cartId)!;
      const all = [...module, ...monolith];
      if (monolith.length > 1) twiceInMonolith.push(`${reservation.cartId}: ${monolith.join(',')} (answered late ${reservation.answeredLate}×)`);
      if (all.length > 1) {
        doubled++;
        problems.push(`cart ${reservation.cartId} holds ${all.length} reservations (module ${module.join(',')}, monolith ${monolith.join(',')}) after ${reservation.outcome}`);
      }
      if (reservation.outcome === 201 && !all.includes(reservation.reservationId!)) {
        lost++;
        problems.push(`cart ${reservation.cartId}: the 201's reservation ${reservation.reservationId} (from ${reservation.upstream}) is not held`);
      }
      if (reservation.outcome === 409 && definitive(reservation) && all.length > 0) problems.push(`cart ${reservation.cartId} was refused (409 ${reservation.code}) but holds ${all.join(',')}`);
      if (!definitive(reservation)) problems.push(`cart ${reservation.cartId}: no definitive answer after retries (${reservation.outcome} ${reservation.code ?? ''})`);
      if (mode === 'shadow' && module.length > 0) problems.push(`cart ${reservation.cartId}: a shadowed write left reservation ${module.join(',')} in the module`);
    }
    const created = load.reservations.filter((r) => r.outcome === 201);
    const fromModule = created.filter((r) => r.upstream === 'module').length;
    const late = load.reservations.filter((r) => r.answeredLate > 0);
    saveScenario(root, {
      id,
      title: `Module 10× slow, late, then down — route in ${mode}`,
      fault: `toxiproxy between the gateway and the inventory module: latency ×10 of its p50 (${baseline.toFixed(1)} ms), then +${PRIMARY_MS + 500} ms (past primaryMs ${PRIMARY_MS}, shadowMs ${SHADOW_MS}), then the proxy disabled, then restored`,
      load: '6 checkout clients through the gateway, each round an availability check and a one-unit reservation for a new cart (Idempotency-Key per cart); unanswered reservations retried with the same key afterwards; a bad request every 100 ms',
      phases: load.recorder.summary(),
      accounting: {
        sent: load.reservations.length,
        acknowledged: created.length,
        lost,
        appliedTwice: doubled,
        notes:
          `201 from the module ${fromModule}, from the monolith ${created.length - fromModule}; 409 ${load.reservations.filter((r) => r.outcome === 409).length}; ` +
          `${late.length} answered 504 after primaryMs and settled by retries with the same key (gateway idempotency hold); carts with two monolith reservations ${twiceInMonolith.length}`,
      },
      badInput: { sent: bad.all().length, outcomes: bad.summary().at(-1)!.outcomes },
      seconds: Math.round((Date.now() - started) / 1000),
    });

    expect(twiceInMonolith).toEqual([]);
    expect(problems).toEqual([]);
    expect(created.length).toBeGreaterThan(0);
    const failed = (attempts: readonly { outcome: unknown }[]) => attempts.filter((attempt) => typeof attempt.outcome !== 'number' || attempt.outcome >= 500);
    if (mode === 'shadow') {
      // The monolith answers; nothing the module does reaches checkout. A reservation the monolith itself answered after
      // primaryMs (a busy machine) is the gateway's 504 "still resolving", settled above by the retry: only those may fail.
      const lateWrites = load.reservations.reduce((sum, r) => sum + r.answeredLate, 0);
      expect(failed(load.checks.all())).toEqual([]);
      expect(failed(load.recorder.all()).filter((attempt) => attempt.outcome !== 504)).toEqual([]);
      expect(failed(load.recorder.all()).length).toBeLessThanOrEqual(lateWrites);
    } else {
      // Reads fall back to the monolith whenever the module fails; only an ambiguous write may fail (and is retried).
      expect(failed(load.checks.all())).toEqual([]);
    }
    const badAnswers = bad.all();
    expect(badAnswers.filter((attempt) => typeof attempt.outcome !== 'number' || attempt.outcome >= 500 || attempt.outcome < 400)).toEqual([]);
    expect(badAnswers.length).toBeGreaterThan(0);
  }

  it('in shadow mode: checkout never sees the module, shadowed writes leave nothing, every 201 is held once', async () => {
    await scenario('5-module-degraded-shadow', 'shadow');
  });

  it('in module-primary mode: reads fall back, writes fall back only when they never reached the module, every 201 is held once', async () => {
    await scenario('6-module-degraded-module-primary', 'module-primary');
  });
});
