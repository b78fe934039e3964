import { waitFor } from '@understudy/testing';
import { ADMIN, configure, migrateGateway, type RunningGateway, report, route, startGateway } from './support/gateway';
import { json } from './support/processes';
import { World } from './support/world';

type ErrorBody = { error: { code: string; message: string; details?: unknown } };
type RouteWithNoise = Awaited<ReturnType<typeof route>> & { config: { comparison: { ignore: string[] }; noise: { rejected: string[] } } };
type AuditBody = { entries: Array<{ action: string; actor: string; reason: string; toVersion: number }> };

/**
 * Confirming and rejecting learned noise through the admin API, on the gateway
 * (in this process) in front of the REAL monolith and inventory module: the
 * monolith stamps every availability answer with `generatedAt`, which the
 * module does not send, so the learner finds it by itself. Rejected, it is a
 * mismatch again and is not learned again; confirmed, it is ignored again.
 */
describe('noise decisions (admin API)', () => {
  let world: World;
  let gateway: RunningGateway;
  const statuses: number[] = [];
  const NAME = 'inventory.check';

  const check = async () => {
    const answer = await json(`${gateway.url}/v1/inventory/check`, 'POST', { variantId: world.variant().variantId, quantity: 1 });
    statuses.push(answer.status);
  };
  const decide = async (verdict: 'confirm' | 'reject', body: unknown, name = NAME) => {
    const answer = await json<RouteWithNoise & ErrorBody>(`${gateway.url}/admin/routes/${name}/noise/${verdict}`, 'POST', body, { ...ADMIN, 'x-understudy-actor': 'noise-test' });
    statuses.push(answer.status);
    return answer;
  };
  const current = async () => (await route(gateway.url, NAME)) as RouteWithNoise;
  const audit = async () => (await json<AuditBody>(`${gateway.url}/admin/audit?route=${NAME}&limit=50`, 'GET', undefined, ADMIN)).body.entries;
  const mismatchesAt = async (path: string) => (await report(gateway.url, NAME)).overall.mismatchPaths.find((p) => p.path === path)?.count ?? 0;
  const observations = async () => (await report(gateway.url, NAME)).noise?.observations ?? 0;

  beforeAll(async () => {
    world = await World.start({ inventory: true });
    const database = await world.database('gateway_noise');
    await migrateGateway(database.url);
    gateway = await startGateway({ DATABASE_URL: database.url, MONOLITH_URL: world.monolith.url, INVENTORY_URL: world.inventory!.url, PRICING_URL: 'http://127.0.0.1:9' });
    await configure(gateway.url, NAME, {
      mode: 'shadow',
      shadowPercent: 100,
      guards: { promotion: { enabled: false }, rollback: { enabled: false } },
      comparison: { ignore: [], transforms: [{ path: '$.variantId', op: 'toString' }] },
      noise: { enabled: true, sampleRate: 1, minObservations: 8, minDifferences: 3, minRatio: 0.5 },
    });
    await waitFor(
      async () => {
        await check();
        return (await current()).learnedIgnore.includes('$.generatedAt');
      },
      { timeoutMs: 120_000, intervalMs: 20, what: 'the learner to flag $.generatedAt' },
    );
  });

  afterAll(async () => {
    // Nothing any test sent, good or bad, made the gateway answer with a 500.
    expect(statuses.filter((status) => status >= 500)).toEqual([]);
    await gateway?.stop();
    await world?.close();
  });

  it('answers bad input with 400 and the failing field, an unknown route or candidate with 404, and changes nothing', async () => {
    const before = await current();
    const cases: Array<[unknown, string]> = [
      [{ reason: 'no path' }, 'path'],
      [{ path: '', reason: 'empty path' }, 'path'],
      [{ path: `$.${'a'.repeat(1000)}`, reason: 'too long' }, 'path'],
      [{ path: '$.generatedAt[', reason: 'unterminated' }, 'path'],
      [{ path: '$.generatedAt' }, 'reason'],
      [{ path: '$.generatedAt', reason: '   ' }, 'reason'],
      [{ path: '$.generatedAt', reason: 'x'.repeat(501) }, 'reason'],
      [{ path: '$.generatedAt', reason: 'bad version', version: -1 }, 'version'],
      [{ path: '$.generatedAt', reason: 'bad version', version: 'one' }, 'version'],
    ];
    for (const [body, field] of cases) {
      const answer = await decide('reject', body);
      expect({ body, status: answer.status, code: answer.body.error?.code }).toEqual({ body, status: 400, code: 'VALIDATION_FAILED' });
      expect(JSON.stringify(answer.body.error.details)).toContain(field);
    }
    for (const body of ['{"path": ', '[1]', '']) expect((await decide('reject', body)).status).toBe(400);
    expect((await decide('confirm', { path: '' })).status).toBe(400);

    const unknownRoute = await decide('reject', { path: '$.generatedAt', reason: 'no such route' }, 'nope.route');
    expect([unknownRoute.status, unknownRoute.body.error.code]).toEqual([404, 'ROUTE_NOT_FOUND']);
    const unknownPath = await decide('reject', { path: '$.availableQuantity', reason: 'it is not a candidate' });
    expect([unknownPath.status, unknownPath.body.error.code]).toEqual([404, 'NOISE_CANDIDATE_NOT_FOUND']);
    expect(unknownPath.body.error.details).toMatchObject({ learned: ['$.generatedAt'] });

    const after = await current();
    expect(after.version).toBe(before.version);
    expect(after.config.noise.rejected).toEqual([]);
  });

  it('rejects a learned path: audited with its reason, compared again, not learned again; a second reject changes nothing', async () => {
    const { version } = await current();
    const rejected = await decide('reject', { path: '$.generatedAt', version, reason: 'the module must send generatedAt too' });
    expect(rejected.status).toBe(200);
    expect(rejected.body.config.noise.rejected).toEqual(['$.generatedAt']);
    expect(rejected.body.learnedIgnore).toEqual([]);
    expect(rejected.body.version).toBe(version + 1);
    expect((await audit())[0]).toMatchObject({ action: 'noise-reject', actor: 'admin:noise-test', reason: 'the module must send generatedAt too', toVersion: version + 1 });

    // Its differences are mismatches again…
    const mismatches = await mismatchesAt('$.generatedAt');
    await waitFor(
      async () => {
        await check();
        return (await mismatchesAt('$.generatedAt')) > mismatches;
      },
      { timeoutMs: 60_000, intervalMs: 20, what: '$.generatedAt to count as a mismatch again' },
    );
    // …and well past the learner's thresholds (8 observations) it has not come back.
    const seen = await observations();
    await waitFor(
      async () => {
        await check();
        return (await observations()) >= seen + 20;
      },
      { timeoutMs: 120_000, intervalMs: 20, what: '20 more noise observations' },
    );
    expect((await current()).learnedIgnore).toEqual([]);

    const again = await decide('reject', { path: '$.generatedAt', reason: 'said twice' });
    expect(again.status).toBe(200);
    expect(again.body.version).toBe(version + 1);
    expect((await audit()).filter((entry) => entry.action === 'noise-reject')).toHaveLength(1);
    // Already rejected: nothing to change, so even the version read before the rejection gets the route as it is.
    const stale = await decide('reject', { path: '$.generatedAt', version, reason: 'stale' });
    expect([stale.status, stale.body.version]).toEqual([200, version + 1]);
  });

  it('confirm undoes a rejection (ignored on every replica again), and a second confirm changes nothing', async () => {
    const { version } = await current();
    const stale = await decide('confirm', { path: '$.generatedAt', version: version - 1 });
    expect([stale.status, stale.body.error?.code]).toEqual([409, 'VERSION_CONFLICT']);

    const confirmed = await decide('confirm', { path: '$.generatedAt', version, reason: 'it is a timestamp after all' });
    expect(confirmed.status).toBe(200);
    expect(confirmed.body.config.comparison.ignore).toEqual(['$.generatedAt']);
    expect(confirmed.body.config.noise.rejected).toEqual([]);
    expect((await audit())[0]).toMatchObject({ action: 'noise-confirm', reason: 'it is a timestamp after all' });
    const again = await decide('confirm', { path: '$.generatedAt' });
    expect(again.body.version).toBe(version + 1);

    // Ignored by configuration now: the next comparisons match.
    const before = (await report(gateway.url, NAME)).overall.counts;
    await waitFor(
      async () => {
        await check();
        return (await report(gateway.url, NAME)).overall.counts.match >= before.match + 3;
      },
      { timeoutMs: 60_000, intervalMs: 20, what: 'matches again' },
    );
    // A confirmed path is a candidate too: it can be rejected again.
    const rejectedAgain = await decide('reject', { path: '$.generatedAt', reason: 'changed my mind' });
    expect(rejectedAgain.body.config.comparison.ignore).toEqual([]);
    expect(rejectedAgain.body.config.noise.rejected).toEqual(['$.generatedAt']);
  });
});
