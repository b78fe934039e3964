// Checkout traffic through the gateway, as a storefront makes it: carts come
// from the monolith (its signed lm1.… tokens), shoppers check availability of
// what they look at, some reserve their cart, B2B buyers ask for quotes.
// Open loop: requests start on a clock whatever the answers' speed, with a
// bound on requests in flight (past it a tick's requests are skipped and
// counted), so a slow gateway shows up as skipped load, not a stalled demo.

const MAX_IN_FLIGHT = 64;
const CARTS = 2_000;
const TIMEOUT_MS = 5_000;

/** Base rates per second; `surge` multiplies them during a flash sale. */
export const RATES = { check: 24, reserve: 0.5, quote: 8 };

export class CheckoutTraffic {
  constructor({ gateway, monolith, variants, companyLocations, currency, random = Math.random }) {
    this.gateway = gateway;
    this.monolith = monolith;
    this.variants = variants;
    this.companyLocations = companyLocations;
    this.currency = currency;
    this.random = random;
    this.surge = 1;
    this.carts = [];
    this.inFlight = 0;
    this.counts = { sent: 0, ok: 0, rejected: 0, failed: 0, skipped: 0 };
    this.byStatus = new Map();
    this.timer = undefined;
    this.carry = { check: 0, reserve: 0, quote: 0 };
  }

  start(tickMs = 100) {
    this.timer = setInterval(() => this.tick(tickMs / 1000), tickMs);
  }

  async stop() {
    clearInterval(this.timer);
    const deadline = Date.now() + TIMEOUT_MS;
    while (this.inFlight > 0 && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 50));
  }

  /** Requests per second at the current surge. */
  rate() {
    return Object.values(RATES).reduce((sum, rate) => sum + rate, 0) * this.surge;
  }

  /** Counts since the last call, and the request rate they make. */
  takeCounts() {
    const counts = this.counts;
    this.counts = { sent: 0, ok: 0, rejected: 0, failed: 0, skipped: 0 };
    return counts;
  }

  tick(seconds) {
    for (const kind of Object.keys(RATES)) {
      this.carry[kind] += RATES[kind] * this.surge * seconds;
      while (this.carry[kind] >= 1) {
        this.carry[kind] -= 1;
        if (this.inFlight >= MAX_IN_FLIGHT) {
          this.counts.skipped += 1;
          continue;
        }
        void this.one(kind);
      }
    }
  }

  async one(kind) {
    this.inFlight += 1;
    try {
      const cart = await this.cart();
      const request = kind === 'check' ? this.check(cart) : kind === 'reserve' ? this.reserve(cart) : this.quote(cart);
      this.counts.sent += 1;
      const response = await fetch(`${this.gateway}${request.path}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(request.body),
        signal: AbortSignal.timeout(TIMEOUT_MS),
      });
      await response.arrayBuffer();
      // 409 INSUFFICIENT_INVENTORY and 404 for a variant a sale just sold out are answers, not failures.
      if (response.status < 300) this.counts.ok += 1;
      else if (response.status < 500) this.counts.rejected += 1;
      else this.counts.failed += 1;
    } catch {
      this.counts.failed += 1;
    } finally {
      this.inFlight -= 1;
    }
  }

  pick(list) {
    return list[Math.floor(this.random() * list.length)];
  }

  /** A pool of carts; one in four requests starts a new cart in the monolith. */
  async cart() {
    // Carts are the gateway's sticky key: many carts, a quarter of the requests from new ones, so that
    // "1 % of carts" is close to 1 % of the requests in every minute rather than a handful of lucky carts.
    if (this.carts.length < CARTS || this.random() < 0.25) {
      const response = await fetch(`${this.monolith}/carts`, { method: 'POST', signal: AbortSignal.timeout(TIMEOUT_MS) });
      const { cartToken } = await response.json();
      const b2b = this.companyLocations.length > 0 && this.random() < 0.4 ? this.pick(this.companyLocations) : undefined;
      const cart = { token: cartToken, companyLocationId: b2b?.id, currency: b2b?.currency ?? this.currency, lines: [] };
      if (this.carts.length >= CARTS) this.carts[Math.floor(this.random() * this.carts.length)] = cart;
      else this.carts.push(cart);
      return cart;
    }
    return this.pick(this.carts);
  }

  check(cart) {
    const variantId = this.pick(this.variants);
    if (cart.lines.length < 4 && this.random() < 0.3 && !cart.lines.some((line) => line.variantId === variantId)) cart.lines.push({ variantId, quantity: 1 + Math.floor(this.random() * 2) });
    return { path: '/v1/inventory/check', body: { variantId, quantity: 1 + Math.floor(this.random() * 3), cartToken: cart.token } };
  }

  /**
   * One line, held 10 s. Reservations live in whichever side is primary for
   * inventory.reserve, so while the two routes are on different sides every
   * held unit is a real check mismatch on the other side (the console shows
   * them under $.availableQuantity); few, short holds keep that under the
   * demo's guard thresholds.
   */
  reserve(cart) {
    const line = cart.lines[0] ?? { variantId: this.pick(this.variants), quantity: 1 };
    return { path: '/v1/inventory/reservations', body: { cartToken: cart.token, lines: [line], ttlSeconds: 10 } };
  }

  quote(cart) {
    const lines = cart.lines.length > 0 ? cart.lines : [{ variantId: this.pick(this.variants), quantity: 1 + Math.floor(this.random() * 60) }];
    return { path: '/v1/pricing/quote', body: { currency: cart.currency, ...(cart.companyLocationId ? { companyLocationId: cart.companyLocationId } : {}), lines, cartToken: cart.token } };
  }
}
