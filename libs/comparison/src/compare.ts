import { type ResponseSide, decodeBody, isFailedCall } from './body';
import { type BodyDiffKind, type DiffSink, type PathNode, CompiledSpec, applyTransforms, diffValues, pathSegments } from './engine';
import { formatPath } from './path';
import type { ComparisonSpec, ComparisonSpecInput } from './spec';
import { BudgetExceededError, NodeBudget, kindOf, renderValue } from './values';

/**
 * Shadow comparison: status, then body after normalisation.
 *
 * 1. A failed call on either side decides the outcome (`timeout` only when
 *    every failure was a timeout, else `error`).
 * 2. Bodies are decoded (body.ts): parsed JSON, or text; a body over
 *    `maxBodyBytes` stops here with `error`/`too_large`.
 * 3. `transforms` run on both bodies (paths as in the original body).
 * 4. The walk compares what is left: `ignore` drops subtrees, `tolerance`
 *    relaxes numbers, `arraysAsSets` pairs elements by key or value; JSON and
 *    text bodies of different shapes differ by `type` at `$`.
 *
 * Numbers: NaN equals NaN, -0 equals 0, big integers stay exact, and
 * non-integers differing only by float noise (a few ULPs) are equal even
 * without a tolerance. Content types are not compared, only used to parse.
 */
export type ComparisonOutcome = 'match' | 'mismatch' | 'error' | 'timeout';
export type DiffKind = BodyDiffKind | 'status';

/** Path of the status diff; body paths always start with `$`, so it cannot clash with one. */
export const STATUS_PATH = '(status)';

export interface ComparisonDiff {
  /** `$.lines[0].available`, `$.lines[sku="A-1"].available`, or STATUS_PATH. */
  readonly path: string;
  /** `missing`: the primary has it, the shadow does not; `extra`: the shadow has it, the primary does not. */
  readonly kind: DiffKind;
  /** JSON text, cut at `maxValueLength`; absent when that side has no value at this path. */
  readonly primary?: string;
  readonly shadow?: string;
}

export type ComparisonErrorReason =
  | 'primary_failed'
  | 'shadow_failed'
  | 'both_failed'
  /**
   * A body over `maxBodyBytes` (or a parsed one too big to walk). Deliberately
   * not a status-only verdict: that would count as a match and could promote
   * a route whose bodies were never checked. As an `error` it lowers the match
   * rate (so the route cannot be promoted on unverified traffic) but is not
   * charged to either upstream (`sideFailed` is false for both).
   */
  | 'too_large'
  | 'invalid_spec'
  | 'invalid_input'
  | 'internal';

export interface ComparisonResult {
  readonly outcome: ComparisonOutcome;
  /** Why there is no verdict; set exactly when the outcome is `error` or `timeout`. */
  readonly reason?: ComparisonErrorReason;
  readonly detail?: string;
  readonly diffs: readonly ComparisonDiff[];
  /** Diffs found beyond `maxDiffs`, counted but not listed. */
  readonly omittedDiffs: number;
}

/** Whether this side's call failed (error or timeout), e.g. to charge the module, not the monolith. */
export function sideFailed(result: ComparisonResult, side: 'primary' | 'shadow'): boolean {
  return result.reason === 'both_failed' || result.reason === `${side}_failed`;
}

// Deeper paths keep only their last segments: enough to locate the diff, bounded in size.
const MAX_RENDERED_SEGMENTS = 128;
const MAX_DETAIL_LENGTH = 300;

/**
 * A compiled comparison spec. Compile once per route configuration (it
 * parses every path pattern) and call `compare` per shadowed request.
 */
export class Comparator {
  private constructor(private readonly compiled: CompiledSpec) {}

  /** Throws a ZodError when the spec is invalid; validate admin input with `comparisonSpecSchema` first. */
  static fromSpec(spec: ComparisonSpecInput = {}): Comparator {
    return new Comparator(CompiledSpec.compile(spec));
  }

  get spec(): ComparisonSpec {
    return this.compiled.spec;
  }

  /** Never throws: anything unexpected becomes outcome `error` with a reason. */
  compare(primary: ResponseSide, shadow: ResponseSide): ComparisonResult {
    try {
      return compareCompiled(primary, shadow, this.compiled);
    } catch (error) {
      return failure('error', error instanceof BudgetExceededError ? 'too_large' : 'internal', describe(error));
    }
  }
}

const compiledSpecs = new WeakMap<object, Comparator | { invalid: string }>();

/**
 * Compares the primary's and the shadow's response to one request. Never
 * throws. Compiled specs are cached per spec object, so pass the same object
 * for the same route (or hold a `Comparator`).
 */
export function compareResponses(primary: ResponseSide, shadow: ResponseSide, spec: ComparisonSpecInput = DEFAULT_SPEC): ComparisonResult {
  let comparator: Comparator;
  try {
    const cached = compiledSpecs.get(spec);
    if (cached instanceof Comparator) comparator = cached;
    else if (cached) return failure('error', 'invalid_spec', cached.invalid);
    else {
      try {
        comparator = Comparator.fromSpec(spec);
        compiledSpecs.set(spec, comparator);
      } catch (error) {
        const invalid = describe(error);
        compiledSpecs.set(spec, { invalid });
        return failure('error', 'invalid_spec', invalid);
      }
    }
  } catch (error) {
    return failure('error', 'invalid_spec', describe(error)); // not even an object
  }
  return comparator.compare(primary, shadow);
}

const DEFAULT_SPEC: ComparisonSpecInput = {};

function compareCompiled(primary: ResponseSide, shadow: ResponseSide, compiled: CompiledSpec): ComparisonResult {
  const problem = inputProblem(primary) ?? inputProblem(shadow);
  if (problem) return failure('error', 'invalid_input', problem);

  if (isFailedCall(primary) || isFailedCall(shadow)) {
    const failed = [primary, shadow].filter(isFailedCall);
    // Timeout only when nothing failed harder: a refused connection is an error even if the other side was slow.
    const outcome = failed.every((f) => f.failure === 'timeout') ? 'timeout' : 'error';
    const reason = failed.length === 2 ? 'both_failed' : isFailedCall(primary) ? 'primary_failed' : 'shadow_failed';
    const detail = failed.map((f) => f.detail).filter((d): d is string => typeof d === 'string').join('; ');
    return failure(outcome, reason, detail === '' ? undefined : detail);
  }

  const { spec } = compiled;
  const sink = new CollectingSink(spec.maxDiffs, spec.maxValueLength);
  if (spec.compareStatus && primary.status !== shadow.status) sink.status(primary.status, shadow.status);

  const primaryBody = decodeBody(primary, spec.maxBodyBytes);
  const shadowBody = decodeBody(shadow, spec.maxBodyBytes);
  if (!primaryBody.ok || !shadowBody.ok) {
    const sides = [!primaryBody.ok && 'primary', !shadowBody.ok && 'shadow'].filter(Boolean).join(' and ');
    return failure('error', 'too_large', `${sides} body over ${spec.maxBodyBytes} bytes`);
  }

  const budget = new NodeBudget(compiled.nodeBudget);
  const p = applyTransforms(primaryBody.value, compiled, budget);
  const s = applyTransforms(shadowBody.value, compiled, budget);
  diffValues(p, s, compiled, sink, budget);
  return {
    outcome: sink.count === 0 ? 'match' : 'mismatch',
    diffs: sink.diffs,
    omittedDiffs: sink.count - sink.diffs.length,
  };
}

function inputProblem(side: unknown): string | undefined {
  if (side === null || typeof side !== 'object') return `expected a response or a failed call, got ${kindOf(side)}`;
  if (isFailedCall(side as ResponseSide)) return undefined;
  const status = (side as { status?: unknown }).status;
  if (typeof status !== 'number' || !Number.isInteger(status)) return 'response without an integer status';
  return undefined;
}

class CollectingSink implements DiffSink {
  readonly diffs: ComparisonDiff[] = [];
  count = 0;

  constructor(
    private readonly maxDiffs: number,
    private readonly maxValueLength: number,
  ) {}

  status(primary: number, shadow: number): void {
    this.add(STATUS_PATH, 'status', String(primary), String(shadow));
  }

  diff(path: PathNode, kind: BodyDiffKind, primary: unknown, shadow: unknown): void {
    if (this.count >= this.maxDiffs) {
      this.count += 1; // rendering is the expensive part; skip it for diffs nobody will see
      return;
    }
    this.add(renderPath(path), kind, this.render(primary), this.render(shadow));
  }

  private render(value: unknown): string | undefined {
    return kindOf(value) === 'absent' ? undefined : renderValue(value, this.maxValueLength);
  }

  private add(path: string, kind: DiffKind, primary: string | undefined, shadow: string | undefined): void {
    this.count += 1;
    if (this.diffs.length >= this.maxDiffs) return;
    this.diffs.push({
      path,
      kind,
      ...(primary === undefined ? {} : { primary }),
      ...(shadow === undefined ? {} : { shadow }),
    });
  }
}

function renderPath(node: PathNode): string {
  const { segments, truncated } = pathSegments(node, MAX_RENDERED_SEGMENTS);
  const text = formatPath(segments);
  return truncated ? `$…${text.slice(1)}` : text;
}

function failure(outcome: 'error' | 'timeout', reason: ComparisonErrorReason, detail?: string): ComparisonResult {
  return { outcome, reason, ...(detail === undefined ? {} : { detail }), diffs: [], omittedDiffs: 0 };
}

function describe(error: unknown): string {
  try {
    const text = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
    return text.length > MAX_DETAIL_LENGTH ? `${text.slice(0, MAX_DETAIL_LENGTH)}…` : text;
  } catch {
    return 'unprintable error';
  }
}
