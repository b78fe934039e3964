/** Marks a shadow call: the upstream runs its full logic and rolls back (dry run). Only the primary commits. */
export const SHADOW_HEADER = 'x-understudy-shadow';
/** Set by the gateway on its answers: which upstream produced the body (`monolith` or `module`). */
export const UPSTREAM_HEADER = 'x-understudy-upstream';
