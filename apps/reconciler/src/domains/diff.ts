import type { ModuleRecord, StateRecord } from './domain';

export const DRIFT_KINDS = ['missing', 'stale', 'extra', 'mismatch'] as const;
export type DriftKind = (typeof DRIFT_KINDS)[number];

/**
 * How the module's row compares with Shopify's:
 * - `in_sync`: same value (whatever the versions say);
 * - `newer`: the module holds a later version (a webhook after the snapshot) — left alone;
 * - `missing`: Shopify has it, the module does not;
 * - `stale`: the module's version is older — or the same second with another value, which
 *   is a change inside that second the module missed (Shopify's timestamps have one-second
 *   precision), unless the module's row was written after that second ended;
 * - `mismatch`: same version, different value, written after the fact's second: a bug.
 * `extra` (the module has what Shopify does not) is found by the full run's sweep
 * (`classifyExtra`).
 */
export type Verdict = 'in_sync' | 'newer' | Exclude<DriftKind, 'extra'>;

export function classify(shopify: StateRecord, module: ModuleRecord | undefined): Verdict {
  if (!module) return 'missing';
  if (module.value === shopify.value) return 'in_sync';
  const theirs = secondOf(shopify.updatedAt);
  const ours = secondOf(module.updatedAt);
  if (ours > theirs) return 'newer';
  if (ours < theirs) return 'stale';
  return Date.parse(module.triggeredAt) >= (theirs + 1) * 1000 ? 'mismatch' : 'stale';
}

/**
 * The version of a deletion by a snapshot taken at `asOf`: (the second of
 * `asOf`, `asOf`) as (updated_at, triggered_at). Shopify's `updated_at` has
 * one-second precision, so a row created just after the snapshot began carries
 * the second of `asOf` in its `updated_at` and a later triggered-at: it
 * compares newer and is kept. Any row the snapshot should have seen is older.
 */
export function deletionVersion(asOf: string): string {
  return `${new Date(secondOf(asOf) * 1000).toISOString().slice(0, 19)}Z`;
}

/**
 * A module row the snapshot taken at `asOf` does not have: `extra` (Shopify
 * deleted it, or it never existed) unless the module's version is not older
 * than the deletion's — a webhook after the snapshot began — which is `newer`
 * and left alone (the module's guard would refuse the deletion anyway).
 */
export function classifyExtra(module: ModuleRecord, asOf: string): 'extra' | 'newer' {
  const ours = Date.parse(module.updatedAt);
  const theirs = secondOf(asOf) * 1000;
  if (ours !== theirs) return ours > theirs ? 'newer' : 'extra';
  return Date.parse(module.triggeredAt) >= Date.parse(asOf) ? 'newer' : 'extra';
}

/** A verdict that calls for publishing Shopify's fact. */
export function needsCorrection(verdict: Verdict): boolean {
  return verdict === 'missing' || verdict === 'stale' || verdict === 'mismatch';
}

function secondOf(iso: string): number {
  return Math.floor(Date.parse(iso) / 1000);
}

export type DriftCounts = Record<DriftKind, number>;

export function emptyDrift(): DriftCounts {
  return { missing: 0, stale: 0, extra: 0, mismatch: 0 };
}

/** The identity of a row across both sides. */
export function recordId(record: Pick<StateRecord, 'kind' | 'key'>): string {
  return `${record.kind}:${record.key}`;
}

/**
 * The module's rows, held compactly for a full run's diff: one string per row
 * (`updatedAt|triggeredAt|value`), so 300k levels fit in tens of megabytes.
 * Rows Shopify confirms are taken out; what remains at the end is `extra`.
 */
export class ModuleIndex {
  private readonly rows = new Map<string, string>();

  add(record: ModuleRecord): void {
    this.rows.set(recordId(record), `${record.updatedAt}|${record.triggeredAt}|${record.value}`);
  }

  get size(): number {
    return this.rows.size;
  }

  /** The module's row for `fact`, removed from the index. */
  take(fact: Pick<StateRecord, 'kind' | 'key'>): ModuleRecord | undefined {
    const id = recordId(fact);
    const row = this.rows.get(id);
    if (row === undefined) return undefined;
    this.rows.delete(id);
    const first = row.indexOf('|');
    const second = row.indexOf('|', first + 1);
    return { kind: fact.kind, key: fact.key, updatedAt: row.slice(0, first), triggeredAt: row.slice(first + 1, second), value: row.slice(second + 1) };
  }

  /** Rows Shopify never mentioned. */
  *remaining(): IterableIterator<ModuleRecord> {
    // Deleting the entry being visited is safe while iterating a Map.
    for (const id of this.rows.keys()) {
      const colon = id.indexOf(':');
      const record = this.take({ kind: id.slice(0, colon), key: id.slice(colon + 1) });
      if (record) yield record;
    }
  }
}
