import { MONOLITH_STEP, type RampStep, type RouteConfig, compareSteps, currentStep } from '../routes/route-config';
import type { GuardStats } from '../stats/route-stats';
import type { WindowSnapshot } from '../stats/summary';

/**
 * Promotion and rollback as a pure function of the route, its stats and the
 * time. The caller applies the decision (recording who — "guard" —, when and
 * why) and then resets the route's stats, so the new step is judged on its
 * own samples only.
 *
 * Order of questions:
 * 1. frozen → hold; a route on `monolith` is not on the ramp → hold.
 * 2. rollback window: module error rate, mismatch rate or the module's p99
 *    above the threshold, each with at least `rollback.minSamples` behind it
 *    (one error does not roll back) → rollback to the previous ramp step (or
 *    to `monolith` from the first step). Not subject to the cool-down: a bad
 *    step must go back within seconds.
 * 3. promotion: the last step → hold; the next step is `module-only` → hold
 *    (leaving the monolith without a fallback is a person's decision); within
 *    the cool-down → hold; fewer than `promotion.minSamples` distinct clients
 *    (sticky keys) compared in the window → hold; the share of clients whose
 *    comparisons all matched, or the match rate of the requests, below
 *    `minMatchRate`, or the promotion window itself crossing a rollback
 *    threshold → hold; otherwise promote to the next ramp step. Counting
 *    clients, not requests, keeps one client's flood of cheap matching
 *    requests from diluting other clients' mismatches.
 */

export type GuardAction = 'promote' | 'rollback' | 'hold';

export interface GuardDecision {
  readonly action: GuardAction;
  /** For people and the audit log: which number crossed which threshold. */
  readonly reason: string;
  readonly fromStep: RampStep;
  /** The step to move to; set for promote and rollback. */
  readonly toStep?: RampStep;
}

export function evaluateGuards(route: RouteConfig, stats: GuardStats, now: number): GuardDecision {
  const fromStep = currentStep(route);
  const hold = (reason: string): GuardDecision => ({ action: 'hold', reason, fromStep });
  if (route.frozen) return hold('route is frozen');
  if (fromStep.mode === 'monolith') return hold('route is on monolith; starting the ramp is a manual decision');

  const { promotion, rollback } = route.guards;
  if (rollback.enabled) {
    const breach = rollbackBreach(route, stats.rollback, rollback.minSamples);
    if (breach) {
      const toStep = previousStep(route.ramp, fromStep);
      return { action: 'rollback', reason: `${breach} over the last ${rollback.windowSeconds}s`, fromStep, toStep };
    }
  }

  if (!promotion.enabled) return hold('automatic promotion is disabled');
  const toStep = nextStep(route.ramp, fromStep);
  if (!toStep) return hold('on the last ramp step');
  if (toStep.mode === 'module-only') return hold('the next step is module-only (no monolith fallback): promoting into it is a manual decision');
  const elapsedSeconds = (now - stats.since) / 1000;
  if (elapsedSeconds < promotion.cooldownSeconds) {
    return hold(`cooling down: ${Math.floor(elapsedSeconds)}s of ${promotion.cooldownSeconds}s on this step`);
  }
  const window = stats.promotion;
  const { clients } = window;
  if (clients.compared < promotion.minSamples) {
    return hold(`collecting samples: ${clients.compared} of ${promotion.minSamples} distinct clients (${window.samples} requests)`);
  }
  if (clients.matchRate < promotion.minMatchRate) {
    return hold(`client match rate ${percent(clients.matchRate)} below ${percent(promotion.minMatchRate)} (${clients.unmatched} of ${clients.compared} clients saw a difference)`);
  }
  if (window.matchRate < promotion.minMatchRate) {
    return hold(`match rate ${percent(window.matchRate)} below ${percent(promotion.minMatchRate)} (${window.samples} samples)`);
  }
  const longWindowBreach = rollbackBreach(route, window, rollback.minSamples);
  if (longWindowBreach) return hold(`${longWindowBreach} over the promotion window`);
  return {
    action: 'promote',
    reason: `${clients.compared} clients matched at ${percent(clients.matchRate)} (requests at ${percent(window.matchRate)} over ${window.samples} samples) ≥ ${percent(promotion.minMatchRate)}`,
    fromStep,
    toStep,
  };
}

/** Describes the first rollback threshold crossed with enough samples, if any. */
function rollbackBreach(route: RouteConfig, window: WindowSnapshot, minSamples: number): string | undefined {
  const limits = route.guards.rollback;
  if (window.moduleCalls >= minSamples && window.errorRate > limits.maxErrorRate) {
    return `module error rate ${percent(window.errorRate)} > ${percent(limits.maxErrorRate)} (${window.moduleFailures} of ${window.moduleCalls} calls)`;
  }
  if (window.samples >= minSamples && window.mismatchRate > limits.maxMismatchRate) {
    return `mismatch rate ${percent(window.mismatchRate)} > ${percent(limits.maxMismatchRate)} (${window.counts.mismatch} of ${window.samples})`;
  }
  const latency = window.latency.module;
  if (latency.count >= minSamples && latency.p99 !== undefined && latency.p99 > limits.maxP99Ms) {
    return `module p99 ${Math.round(latency.p99)}ms > ${limits.maxP99Ms}ms (${latency.count} calls)`;
  }
  return undefined;
}

/** The first ramp step after `from` (a route moved off the ramp by hand rejoins it at the next step above). */
export function nextStep(ramp: readonly RampStep[], from: RampStep): RampStep | undefined {
  return ramp.find((step) => compareSteps(step, from) > 0);
}

/** The last ramp step before `from`, or monolith below the first. */
export function previousStep(ramp: readonly RampStep[], from: RampStep): RampStep {
  let previous: RampStep = MONOLITH_STEP;
  for (const step of ramp) {
    if (compareSteps(step, from) >= 0) break;
    previous = step;
  }
  return previous;
}

function percent(rate: number): string {
  return `${Number((rate * 100).toFixed(4))}%`;
}
