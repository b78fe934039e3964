import { createDataSource, type DataSource } from '@understudy/database';
import { createTestDatabase, type TestDatabase } from '@understudy/testing';
import { type KeyClaim, ResponseStore, responseStoreTableSql } from '../src';

describe('ResponseStore on real PostgreSQL', () => {
  let database: TestDatabase;
  const dataSources: DataSource[] = [];
  const answer = { status: 201, contentType: 'application/json', upstream: 'monolith', body: Buffer.from('{"id":"lmr_1"}') };

  async function openStore(abandonedAfterSeconds = 60): Promise<{ store: ResponseStore; dataSource: DataSource }> {
    const dataSource = createDataSource({ url: database.url, migrations: [], poolSize: 5 });
    await dataSource.initialize();
    dataSources.push(dataSource);
    return { store: new ResponseStore({ dataSource, table: 'responses', abandonedAfterSeconds }), dataSource };
  }

  beforeAll(async () => {
    database = await createTestDatabase('responses');
    const { dataSource } = await openStore();
    for (const sql of responseStoreTableSql('responses')) await dataSource.query(sql);
  });

  afterAll(async () => {
    for (const dataSource of dataSources) await dataSource.destroy();
    await database.drop();
  });

  it('lets exactly one of many concurrent claims of a key through, across two "processes"', async () => {
    const [{ store: a }, { store: b }] = [await openStore(), await openStore()];
    const keys = Array.from({ length: 100 }, (_, i) => `key-${i}`);
    const attempts = keys.flatMap((key) => [a, b, a, b].map((s, i) => s.claim({ scope: 'r', key }, 'fp', `owner-${i}`).then((claim) => ({ key, claim }))));
    const results = await Promise.all(attempts);
    for (const key of keys) {
      const kinds = results.filter((r) => r.key === key).map((r) => r.claim.kind);
      expect(kinds.filter((kind) => kind === 'claimed')).toHaveLength(1);
      expect(kinds.filter((kind) => kind !== 'claimed').every((kind) => kind === 'in_flight')).toBe(true);
    }
  });

  it('replays a completed answer byte for byte, refuses another fingerprint, and scopes keys per route', async () => {
    const { store } = await openStore();
    const ref = { scope: 'inventory.reserve', key: 'k-done' };
    expect(await store.claim(ref, 'fp-1', 'o1')).toEqual({ kind: 'claimed', owner: 'o1' });
    expect(await store.complete(ref, 'someone-else', answer)).toBe(false);
    expect(await store.complete(ref, 'o1', answer)).toBe(true);
    const replay = (await store.claim(ref, 'fp-1', 'o2')) as Extract<KeyClaim, { kind: 'done' }>;
    expect(replay.kind).toBe('done');
    expect({ ...replay.answer, body: replay.answer.body.toString() }).toEqual({ ...answer, body: '{"id":"lmr_1"}' });
    expect(await store.claim(ref, 'fp-2', 'o3')).toEqual({ kind: 'mismatch' });
    expect((await store.claim({ scope: 'other.route', key: 'k-done' }, 'fp-2', 'o4')).kind).toBe('claimed');
  });

  it('a released key is claimed afresh; an unknown outcome, or a claim abandoned by a dead owner, is never claimed again', async () => {
    const { store, dataSource } = await openStore(1);
    const released = { scope: 'r', key: 'k-released' };
    await store.claim(released, 'fp', 'o1');
    await store.release(released, 'o1');
    expect((await store.claim(released, 'fp', 'o2')).kind).toBe('claimed');

    const unknown = { scope: 'r', key: 'k-unknown' };
    await store.claim(unknown, 'fp', 'o1');
    await store.markUnknown(unknown, 'o1');
    expect(await store.claim(unknown, 'fp', 'o2')).toEqual({ kind: 'unknown' });
    await store.release(unknown, 'o1'); // too late: the outcome is recorded
    expect(await store.claim(unknown, 'fp', 'o2')).toEqual({ kind: 'unknown' });

    const abandoned = { scope: 'r', key: 'k-abandoned' };
    await store.claim(abandoned, 'fp', 'o1');
    expect(await store.claim(abandoned, 'fp', 'o2')).toEqual({ kind: 'in_flight' });
    await dataSource.query(`UPDATE responses SET claimed_at = now() - interval '5 seconds' WHERE key = 'k-abandoned'`);
    expect(await store.claim(abandoned, 'fp', 'o2')).toEqual({ kind: 'unknown' });
  });

  it('prunes records past the retention', async () => {
    const { store, dataSource } = await openStore();
    await store.claim({ scope: 'p', key: 'old' }, 'fp', 'o');
    await store.claim({ scope: 'p', key: 'new' }, 'fp', 'o');
    await dataSource.query(`UPDATE responses SET claimed_at = now() - interval '2 hours' WHERE scope = 'p' AND key = 'old'`);
    expect(await store.prune({ olderThanSeconds: 3600 })).toBeGreaterThanOrEqual(1);
    const left = (await dataSource.query(`SELECT key FROM responses WHERE scope = 'p'`)) as Array<{ key: string }>;
    expect(left.map((row) => row.key)).toEqual(['new']);
  });
});
