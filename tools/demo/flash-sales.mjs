// A flash sale every few minutes: the simulator turns stock into orders on a
// few hot variants while its webhooks misbehave (dropped, duplicated,
// reordered), the storefront's traffic surges, and afterwards the reconciler
// is asked for an incremental run to repair what the dropped webhooks left
// out. The first sale starts after the first few minutes of the ramp.

const FIRST_AFTER_MS = 4 * 60_000;
const EVERY_MS = 5 * 60_000;
const SALE = { changesPerSecond: 20, durationSeconds: 45, hotVariants: 20, maxQuantity: 3 };
const CHAOS = { dropRate: 0.1, duplicateRate: 0.1, reorderWindowMs: 2_000, addedDelayMs: 0 };
const CALM = { dropRate: 0, duplicateRate: 0, reorderWindowMs: 0, addedDelayMs: 0 };
const SURGE = 3;

export class FlashSales {
  constructor({ sim, reconciler, traffic, variants, say }) {
    Object.assign(this, { sim, reconciler, traffic, variants, say });
    this.everyMinutes = EVERY_MS / 60_000;
    this.current = undefined;
    this.timers = new Set();
    this.stopped = false;
    this.count = 0;
  }

  start() {
    this.later(FIRST_AFTER_MS, () => this.run());
  }

  later(ms, fn) {
    const timer = setTimeout(() => {
      this.timers.delete(timer);
      if (!this.stopped) void fn();
    }, ms);
    this.timers.add(timer);
  }

  async run() {
    this.later(EVERY_MS, () => this.run());
    this.count += 1;
    const seed = this.count;
    try {
      await this.sim_('PUT', '/_sim/chaos', CHAOS);
      await this.sim_('POST', '/_sim/chaos/flash-sale', { ...SALE, hotVariants: Math.min(SALE.hotVariants, this.variants), seed });
    } catch (error) {
      this.say(`[demo] flash sale not started: ${error instanceof Error ? error.message : String(error)}`);
      await this.sim_('PUT', '/_sim/chaos', CALM).catch(() => undefined);
      return;
    }
    this.current = { number: this.count, endsAt: Date.now() + SALE.durationSeconds * 1000 };
    this.traffic.surge = SURGE;
    this.say(
      `» flash sale #${this.count}: ${SALE.changesPerSecond} orders/s for ${SALE.durationSeconds} s on ${SALE.hotVariants} hot variants; webhooks ${CHAOS.dropRate * 100} % dropped, ${CHAOS.duplicateRate * 100} % duplicated, reordered within ${CHAOS.reorderWindowMs / 1000} s; storefront traffic ×${SURGE}`,
    );
    this.later(SALE.durationSeconds * 1000, async () => {
      this.traffic.surge = 1;
      this.current = undefined;
      await this.sim_('PUT', '/_sim/chaos', CALM).catch(() => undefined);
      this.say(`» flash sale #${this.count} over; webhooks calm again. Dropped ones left drift for the reconciler.`);
      // Give late (reordered) deliveries a moment, then ask for the repair.
      this.later(15_000, () => this.reconcile());
    });
  }

  async reconcile() {
    try {
      const response = await fetch(`${this.reconciler}/v1/runs`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ domains: ['inventory'], mode: 'incremental', dryRun: false }),
        signal: AbortSignal.timeout(5_000),
      });
      const body = await response.json().catch(() => ({}));
      if (response.status === 202) this.say(`» reconciler: incremental run ${body.id ?? ''} started to repair the sale's drift`);
      else if (response.status === 409) this.say('» reconciler: a run is already going; it will pick the drift up');
      else this.say(`» reconciler: run not started (HTTP ${response.status}); the drift stays until its schedule runs`);
    } catch {
      this.say('» reconciler unavailable; the drift stays visible in the console');
    }
  }

  async sim_(method, path, body) {
    const response = await fetch(`${this.sim}${path}`, { method, headers: { 'content-type': 'application/json' }, body: JSON.stringify(body), signal: AbortSignal.timeout(5_000) });
    if (!response.ok) throw new Error(`${method} ${path}: HTTP ${response.status} ${await response.text()}`);
    return response.json();
  }

  async stop() {
    this.stopped = true;
    for (const timer of this.timers) clearTimeout(timer);
    this.timers.clear();
    this.traffic.surge = 1;
    await this.sim_('PUT', '/_sim/chaos', CALM).catch(() => undefined);
  }
}
