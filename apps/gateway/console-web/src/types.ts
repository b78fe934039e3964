/** The admin API's answers, as far as the console reads them. */
import type { AuditEntry as AuditRecord, StoredDiff as DiffRecord } from '../../src/persistence/records.js';
import type { Step } from './format.js';

export interface RouteView {
  name: string;
  version: number;
  mode: string;
  shadowPercent: number;
  step: Step;
  rampPosition: number;
  frozen: boolean;
  learnedIgnore: string[];
  breakers: { monolith: string; module: string };
  replica: string;
  config: { ramp: Step[]; comparison: { ignore?: string[] }; noise?: { enabled: boolean; rejected?: string[] }; guards: { promotion: { minSamples: number; windowSeconds: number; cooldownSeconds: number; minMatchRate: number } } };
}

export interface LatencySummary {
  count: number;
  p50?: number;
  p95?: number;
  p99?: number;
}

export interface MismatchExample {
  at: number;
  requestId?: string;
  primary?: string;
  shadow?: string;
  kind?: string;
}

export interface WindowSnapshot {
  counts: Record<'match' | 'mismatch' | 'error' | 'timeout' | 'skipped', number>;
  samples: number;
  matchRate: number;
  moduleCalls: number;
  moduleFailures: number;
  latency: Record<'primary' | 'shadow' | 'module', LatencySummary>;
  mismatchPaths: Array<{ path: string; count: number; examples: MismatchExample[] }>;
}

export interface RouteReport {
  route: string;
  scope: string;
  replicas: Array<{ replica: string; samples: number }>;
  version: number;
  step: Step;
  frozen: boolean;
  guard: { action: string; reason: string; toStep?: Step };
  breakers: { monolith: string; module: string };
  noise: { observations: number; learnedIgnore: string[] } | null;
  overall: WindowSnapshot;
  segments: Record<string, WindowSnapshot>;
}

export interface MatchPoint {
  at: number;
  matchRate: number | null;
  samples: number;
  mode: string;
  percent: number;
}

export type StoredDiff = DiffRecord<Array<{ path: string; kind: string; primary?: string; shadow?: string }> | null>;

export type AuditEntry = AuditRecord<Step>;

export type ReconcilerRead = { available: true; body: unknown } | { available: false; reason: string };

export interface SyncView {
  configured: boolean;
  runs: ReconcilerRead;
  delivery: ReconcilerRead;
  deadLetters: ReconcilerRead;
}
