// The audit log's and the diff sample's rows as the admin API sends them: one
// definition for route-store.ts and for the operator console (console-web
// imports this file's types; it must stay free of imports, so the browser build
// and its DOM-only type check can read it).

/** A ramp step, as stored and sent. */
export interface StepRecord {
  readonly mode: string;
  readonly percent: number;
}

/** One change to a route: who, when, why, from which version and step to which. */
export interface AuditEntry<Step extends StepRecord = StepRecord> {
  id: string;
  route: string;
  at: string;
  actor: string;
  action: string;
  reason: string | null;
  fromVersion: number | null;
  toVersion: number;
  fromStep: Step | null;
  toStep: Step;
  before: unknown;
  after: unknown;
}

/** One comparison's sampled difference; `diffs` is the comparison's list of differing paths. */
export interface StoredDiff<Diffs = unknown> {
  id: string;
  route: string;
  segment: string | null;
  at: string;
  requestId: string;
  replica: string;
  outcome: string;
  reason: string | null;
  primaryUpstream: string;
  primaryStatus: number | null;
  shadowStatus: number | null;
  diffs: Diffs;
  omittedDiffs: number;
}
