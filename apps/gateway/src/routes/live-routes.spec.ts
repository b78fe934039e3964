import { routeConfigSchema } from './route-config';
import { LiveRoutes } from './live-routes';

const json = (body: unknown) => ({ status: 200, body: Buffer.from(JSON.stringify(body)), contentType: 'application/json' });

describe('LiveRoutes', () => {
  let now = 1_000_000;
  const config = (changes: Record<string, unknown> = {}) => routeConfigSchema.parse({ name: 'inventory.check', ...changes });
  const table = () => new LiveRoutes([config()], { now: () => now });

  it('serves the defaults until a stored configuration arrives, then only newer versions', () => {
    const routes = table();
    expect(routes.loaded).toBeUndefined();
    expect(routes.get('inventory.check')!.source).toBe('default');
    expect(routes.apply(config({ version: 1, mode: 'shadow', shadowPercent: 10 }), 'postgres')).toBe('applied');
    routes.markLoaded('postgres');
    expect(routes.loaded).toBe('postgres');
    expect(routes.apply(config({ version: 1, mode: 'monolith' }), 'redis')).toBe('stale');
    expect(routes.apply(config({ version: 0 }), 'redis')).toBe('stale');
    expect(routes.apply(config({ name: 'other.route', version: 5 }), 'postgres')).toBe('unknown');
    expect(routes.get('inventory.check')!.config).toMatchObject({ version: 1, mode: 'shadow', shadowPercent: 10 });
  });

  it('resets stats on a new step or comparison spec, keeps them otherwise', () => {
    const routes = table();
    routes.apply(config({ version: 1, mode: 'shadow', shadowPercent: 10 }), 'postgres');
    const stats = routes.get('inventory.check')!.stats;
    stats.record({ outcome: 'match' });
    routes.apply(config({ version: 2, mode: 'shadow', shadowPercent: 10, frozen: true }), 'postgres');
    expect(routes.get('inventory.check')!.stats.guardStats().promotion.samples).toBe(1);
    routes.apply(config({ version: 3, mode: 'shadow', shadowPercent: 50, frozen: true }), 'postgres');
    expect(routes.get('inventory.check')!.stats.guardStats().promotion.samples).toBe(0);
    routes.get('inventory.check')!.stats.record({ outcome: 'match' });
    routes.apply(config({ version: 4, mode: 'shadow', shadowPercent: 50, frozen: true, comparison: { ignore: ['$.x'] } }), 'postgres');
    expect(routes.get('inventory.check')!.stats.guardStats().promotion.samples).toBe(0);
  });

  it('tells listeners about every change', () => {
    const routes = table();
    const seen: string[] = [];
    routes.listen((route, previous) => seen.push(`${previous?.config.version ?? '-'}→${route.config.version}`));
    routes.apply(config({ version: 1 }), 'postgres');
    expect(seen).toEqual(['-→0', '0→1']);
  });

  it('merges learned noise into the comparison, and forgets it when the spec changes', () => {
    const routes = table();
    routes.apply(config({ version: 1, noise: { enabled: true, minObservations: 3, minDifferences: 2, minRatio: 0.5 } }), 'postgres');
    const answer = (at: string) => json({ available: true, generatedAt: at });
    for (let i = 0; i < 3; i += 1) routes.observeNoise('inventory.check', answer(`t${i}`), answer(`u${i}`));
    const live = routes.get('inventory.check')!;
    expect(live.learnedIgnore).toEqual(['$.generatedAt']);
    expect(live.comparator.compare(answer('a'), json({ available: true })).outcome).toBe('match');
    routes.apply(config({ version: 2, noise: { enabled: true, minObservations: 3, minDifferences: 2, minRatio: 0.5 }, comparison: { ignore: ['$.x'] } }), 'postgres');
    expect(routes.get('inventory.check')!.learnedIgnore).toEqual([]);
  });

  it('stops ignoring a rejected path on the next stored version, keeps the rest it learned, and never learns it again', () => {
    const routes = table();
    const noise = { enabled: true, minObservations: 3, minDifferences: 2, minRatio: 0.5 };
    routes.apply(config({ version: 1, noise }), 'postgres');
    const answer = (i: number) => json({ available: true, generatedAt: `t${i}`, requestId: `r${i}` });
    for (let i = 0; i < 6; i += 2) routes.observeNoise('inventory.check', answer(i), answer(i + 1));
    expect(routes.get('inventory.check')!.learnedIgnore).toEqual(['$.generatedAt', '$.requestId']);

    routes.apply(config({ version: 2, noise: { ...noise, rejected: ['$.generatedAt'] } }), 'postgres');
    const live = routes.get('inventory.check')!;
    expect(live.learnedIgnore).toEqual(['$.requestId']);
    const result = live.comparator.compare(answer(100), answer(101));
    expect(result.outcome).toBe('mismatch');
    expect(result.outcome === 'mismatch' && result.diffs.map((d) => d.path)).toEqual(['$.generatedAt']);
    for (let i = 0; i < 20; i += 2) routes.observeNoise('inventory.check', answer(i), answer(i + 1));
    expect(routes.get('inventory.check')!.learnedIgnore).toEqual(['$.requestId']);

    // A rejection wins over a stored ignore of the same path.
    routes.apply(config({ version: 3, noise: { ...noise, rejected: ['$.generatedAt'] }, comparison: { ignore: ['$.generatedAt'] } }), 'postgres');
    expect(routes.get('inventory.check')!.comparator.compare(answer(200), json({ available: true, generatedAt: 'x', requestId: 'r200' })).outcome).toBe('mismatch');
  });

  it('holds a local rollback until a newer version replaces it', () => {
    const routes = table();
    routes.apply(config({ version: 4, mode: 'shadow', shadowPercent: 50 }), 'postgres');
    routes.applyLocalRollback(config({ version: 4, mode: 'shadow', shadowPercent: 10 }), { fromVersion: 4, reason: 'mismatch rate', at: now });
    expect(routes.get('inventory.check')!).toMatchObject({ source: 'local', pendingRollback: { fromVersion: 4 }, config: { shadowPercent: 10 } });
    expect(routes.apply(config({ version: 4, mode: 'shadow', shadowPercent: 50 }), 'postgres')).toBe('stale');
    routes.apply(config({ version: 5, mode: 'shadow', shadowPercent: 10 }), 'postgres');
    expect(routes.get('inventory.check')!.pendingRollback).toBeUndefined();
    now += 1;
  });
});
