import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { commonEnv, databaseEnv, redisEnv } from '@understudy/config';
import { parse } from 'yaml';
import type { z } from 'zod';
import { configSchema as gateway } from '../../apps/gateway/src/config';
import { configSchema as inventory } from '../../apps/inventory/src/config';
import { configSchema as legacyMonolith } from '../../apps/legacy-monolith/src/config';
import { configSchema as pricing } from '../../apps/pricing/src/config';
import { configSchema as reconciler } from '../../apps/reconciler/src/config';
import { configSchema as shopifySim } from '../../apps/shopify-sim/src/config';
import { configSchema as webhookIngest } from '../../apps/webhook-ingest/src/config';

/**
 * The charts and the code must agree on names: every environment variable a chart can set is one
 * the app validates at boot, every variable the app requires is one the chart always sets, every
 * metric an alert or dashboard reads is one the code exports, and the `global` block every chart's
 * schema declares is the same everywhere.
 */
const root = path.resolve(__dirname, '../..');
const charts = path.join(root, 'charts');
const read = (...parts: string[]) => readFileSync(path.join(charts, ...parts), 'utf8');

const apps: Record<string, z.ZodObject<Record<string, z.ZodType>>> = {
  gateway,
  'webhook-ingest': webhookIngest,
  inventory,
  pricing,
  reconciler,
  'shopify-sim': shopifySim,
  'legacy-monolith': legacyMonolith,
};

// Variables the chart already sets for a part still being written: the reconciler's pricing domain
// (PRICING_URL). The zod schemas ignore unknown variables, so setting them early is harmless.
const PENDING_ENV: Record<string, string[]> = {
  reconciler: ['PRICING_URL'],
};
// The deadlines every app reads from the shared env blocks (HTTP, PostgreSQL, Redis, shutdown):
// an operator must be able to set each one its app validates from the chart's values.
const SHARED_DEADLINES = Object.keys({ ...commonEnv, ...databaseEnv, ...redisEnv }).filter((name) => name.endsWith('_TIMEOUT_MS'));
// Metrics the alerts read before the code exports them (none now).
const PENDING_METRICS: string[] = [];

interface AppFacts {
  kafka?: boolean;
  shopify?: boolean;
  secretEnv?: string[];
  optionalSecretEnv?: string[];
  siblingUrls?: Record<string, unknown>;
  fieldRefEnv?: Record<string, string>;
}

function appFacts(chart: string): AppFacts {
  const tpl = read(chart, 'templates/_app.tpl');
  const body = tpl.match(/\{\{- define "[^"]+" -\}\}\n([\s\S]*?)\{\{- end -\}\}/)?.[1];
  if (body === undefined) throw new Error(`${chart}: no define block in templates/_app.tpl`);
  return parse(body) as AppFacts;
}

interface ObjectSchema {
  properties?: Record<string, ObjectSchema>;
}
interface Schema {
  properties: Record<string, ObjectSchema>;
  definitions: Record<string, unknown>;
}
const schemaOf = (chart: string) => JSON.parse(read(chart, 'values.schema.json')) as Schema;

/** Every variable the chart may put in the container's environment. */
function chartVariables(chart: string): { always: Set<string>; all: Set<string> } {
  const facts = appFacts(chart);
  const schema = schemaOf(chart);
  const always = new Set(['NODE_ENV', 'HOST', 'PORT', ...(facts.secretEnv ?? []), ...Object.keys(facts.siblingUrls ?? {}), ...Object.keys(facts.fieldRefEnv ?? {})]);
  if (facts.kafka) always.add('KAFKA_BROKERS');
  if (facts.shopify) always.add('SHOPIFY_SHOP');
  const all = new Set([
    ...always,
    ...(facts.optionalSecretEnv ?? []),
    ...(facts.shopify ? ['SHOPIFY_ADMIN_URL', 'SHOPIFY_API_VERSION'] : []),
    ...Object.keys(schema.properties.env?.properties ?? {}),
    ...Object.keys(schema.properties.secrets?.properties?.values?.properties ?? {}),
  ]);
  return { always, all };
}

describe.each(Object.keys(apps))('chart %s', (chart) => {
  const shape = apps[chart]!.shape;

  it('sets only variables the app validates at boot', () => {
    const pending = PENDING_ENV[chart] ?? [];
    const unknown = [...chartVariables(chart).all].filter((name) => !(name in shape) && !pending.includes(name));
    expect(unknown).toEqual([]);
  });

  it('always sets every variable the app requires', () => {
    const required = Object.keys(shape).filter((name) => !shape[name]!.safeParse(undefined).success);
    const { always } = chartVariables(chart);
    expect(required.filter((name) => !always.has(name))).toEqual([]);
  });

  it('lets the values set every shared deadline the app validates', () => {
    const settable = Object.keys(schemaOf(chart).properties.env?.properties ?? {});
    expect(SHARED_DEADLINES.filter((name) => name in shape && !settable.includes(name))).toEqual([]);
  });

  it('declares the same global block as every other chart', () => {
    expect(schemaOf(chart).definitions.global).toEqual(schemaOf('gateway').definitions.global);
  });
});

describe('alerts and dashboards', () => {
  const sources = (dir: string): string[] =>
    readdirSync(dir, { withFileTypes: true, recursive: true })
      .filter((entry) => entry.isFile() && entry.name.endsWith('.ts') && !entry.name.endsWith('.spec.ts'))
      .map((entry) => readFileSync(path.join(entry.parentPath, entry.name), 'utf8'));
  const exported = new Set(
    [...sources(path.join(root, 'apps')), ...sources(path.join(root, 'libs'))].flatMap((text) => [...text.matchAll(/'(understudy_[a-z0-9_]+)'/g)].map((m) => m[1]!)),
  );
  const referenced = (text: string) =>
    new Set([...text.matchAll(/\b(understudy_[a-z0-9_]+)/g)].map((m) => m[1]!.replace(/_(bucket|count|sum)$/, '')));

  it('reads only metrics the code exports', () => {
    const files = [read('understudy/templates/prometheusrule.yaml'), ...readdirSync(path.join(charts, 'understudy/dashboards')).map((f) => read('understudy/dashboards', f))];
    const missing = files.flatMap((text) => [...referenced(text)]).filter((name) => !exported.has(name) && !PENDING_METRICS.includes(name));
    expect([...new Set(missing)]).toEqual([]);
  });

  it('still needs each pending metric (drop it from the list once the code exports it)', () => {
    expect(PENDING_METRICS.filter((name) => exported.has(name))).toEqual([]);
  });
});
