import { type ComparisonDiff, type ComparisonResult, sideFailed } from '@understudy/comparison';
import type { RoutingDecision } from '../routes/bucketing';
import type { RecordedOutcome } from './portable';

/** What one served request adds to a route's stats. */
export interface Observation {
  /** The comparison's outcome; `skipped` when a due shadow call was not made (e.g. capacity); absent when none was due. */
  readonly outcome?: RecordedOutcome;
  /** Which side the module was on and whether its call failed; absent when the module was not called. */
  readonly module?: { readonly side: 'primary' | 'shadow'; readonly failed: boolean };
  readonly primaryMs?: number;
  readonly shadowMs?: number;
  readonly diffs?: readonly ComparisonDiff[];
  /** The client (sticky key) the request was for: promotion counts distinct clients, so one client's flood weighs as one. */
  readonly client?: string;
}

export interface ServedRequest {
  /** The comparison, when the other upstream was called in the shadow. */
  readonly comparison?: ComparisonResult;
  /** Whether the primary call failed; only read when there is no comparison (e.g. module-only). */
  readonly primaryFailed?: boolean;
  readonly primaryMs?: number;
  readonly shadowMs?: number;
}

/**
 * The observation for one request: which side the module was on follows from
 * the decision, so its failures are charged to it and the monolith's are not.
 */
export function observationFrom(decision: Pick<RoutingDecision, 'primary' | 'shadow'> & Partial<Pick<RoutingDecision, 'client'>>, served: ServedRequest): Observation {
  const { comparison, primaryFailed, primaryMs, shadowMs } = served;
  const moduleSide = decision.primary === 'module' ? 'primary' : decision.shadow ? 'shadow' : undefined;
  let module: Observation['module'];
  if (moduleSide && comparison) module = { side: moduleSide, failed: sideFailed(comparison, moduleSide) };
  else if (moduleSide === 'primary' && primaryFailed !== undefined) module = { side: moduleSide, failed: primaryFailed };
  return {
    ...(comparison ? { outcome: comparison.outcome, diffs: comparison.diffs } : {}),
    ...(module ? { module } : {}),
    ...(primaryMs === undefined ? {} : { primaryMs }),
    ...(shadowMs === undefined ? {} : { shadowMs }),
    ...(comparison && decision.client !== undefined ? { client: decision.client } : {}),
  };
}
