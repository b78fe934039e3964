import type { RouteConfig } from './route-config';

/** A person's verdict on a noise candidate: confirm it (ignore it everywhere) or reject it (compare it again). */
export type NoiseVerdict = 'confirm' | 'reject';

/** What deciding a path changes in the stored configuration. */
export interface NoiseChange {
  /** The route's new `comparison.ignore`. */
  readonly ignore: string[];
  /** The route's new `noise.rejected`. */
  readonly rejected: string[];
}

export type NoiseDecisionResult =
  /** Already decided that way: nothing to store, nothing to audit. */
  | { readonly kind: 'unchanged' }
  /** Reject only: the path is neither learned on this replica, nor ignored, so there is nothing to reject. */
  | { readonly kind: 'not-a-candidate' }
  | { readonly kind: 'change'; readonly change: NoiseChange };

/**
 * Where a noise path stands and where a verdict moves it. A confirmed path is
 * in the stored `comparison.ignore`, so every replica ignores it; a rejected
 * one is in `noise.rejected`, so no replica's learner learns it and no
 * comparison ignores it — its differences count as mismatches again. The two
 * lists never share a path: each verdict takes the path off the other list,
 * so a person can change their mind either way.
 *
 * `learned` is what this replica's learner found (a rejection is only
 * accepted for a real candidate: learned here, or ignored by configuration).
 */
export function decideNoise(config: Pick<RouteConfig, 'comparison' | 'noise'>, learned: readonly string[], path: string, verdict: NoiseVerdict): NoiseDecisionResult {
  const ignore = config.comparison.ignore ?? [];
  const rejected = config.noise.rejected;
  if (verdict === 'confirm') {
    if (ignore.includes(path) && !rejected.includes(path)) return { kind: 'unchanged' };
    return { kind: 'change', change: { ignore: ignore.includes(path) ? [...ignore] : [...ignore, path], rejected: rejected.filter((p) => p !== path) } };
  }
  if (rejected.includes(path) && !ignore.includes(path)) return { kind: 'unchanged' };
  if (!rejected.includes(path) && !ignore.includes(path) && !learned.includes(path)) return { kind: 'not-a-candidate' };
  return { kind: 'change', change: { ignore: ignore.filter((p) => p !== path), rejected: rejected.includes(path) ? [...rejected] : [...rejected, path] } };
}
