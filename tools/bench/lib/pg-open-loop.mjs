// The "straight through pg" baselines of the service benches (inventory's check, pricing's quote): the
// subject's own statements at a constant open-loop rate from this process, so that a row can say what the
// database alone does at the rate the service is measured at.
import { performance } from 'node:perf_hooks';
import { setImmediate as nextTurn } from 'node:timers/promises';
import { percentiles, sleep } from './service-kit.mjs';

/**
 * Calls `call(i)` (a promise: one unit of database work) at `rate` per second for `seconds`, open loop:
 * call i is due at start + i / rate whatever happened to the ones before it, and its latency counts from
 * when it was due, so a database that falls behind shows up as latency, not as a lower rate.
 *
 * The driver must not be what it measures. Each turn it issues every call that is due, then returns to
 * the event loop (a timer until the next one is due, or at once if it is already late) so that answers
 * are read while it waits: a driver that issued a backlog in one synchronous burst read nothing back until
 * the burst was sent, and a pool queue built up behind it. `connections` is the pool's size: big enough
 * that the database's latency at this rate never waits for a free connection (Little's law: rate ×
 * latency), and the calls beyond it queue in the pool, counted in their latency. `clientCpuShare` is this
 * process's CPU time over the run's wall time: near 1, the row measures the client, not the database.
 * The pool is warmed first (opening connections inside the window would dominate its tail).
 */
export async function pgOpenLoop({ rate, seconds, call, connections }) {
  await Promise.all(Array.from({ length: connections }, (_, i) => call(i)));
  const latencies = [];
  const pending = [];
  const total = Math.round(rate * seconds);
  const cpuBefore = process.cpuUsage();
  const start = performance.now();
  let issued = 0;
  while (issued < total) {
    const now = performance.now();
    for (; issued < total && start + (issued / rate) * 1000 <= now; issued++) {
      const due = start + (issued / rate) * 1000;
      pending.push(call(issued).then(() => latencies.push(performance.now() - due)));
    }
    const untilNext = start + (issued / rate) * 1000 - performance.now();
    await (untilNext > 0 ? sleep(untilNext) : nextTurn());
  }
  await Promise.all(pending);
  const wallMs = performance.now() - start;
  const cpu = process.cpuUsage(cpuBefore);
  return {
    ...percentiles(latencies),
    rate: Math.round(total / (wallMs / 1000)),
    non2xx: 0,
    clientCpuShare: Math.round(((cpu.user + cpu.system) / 1000 / wallMs) * 100) / 100,
  };
}
