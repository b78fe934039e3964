import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import path from 'node:path';
import { createKafka, deadLetterTopic, encodeEnvelope, EventPublisher } from '@understudy/messaging';
import { createTestDatabase, createTestTopics, deleteTestTopics, freePort, metricValue, testEnv, type TestDatabase, uniqueName, waitFor } from '@understudy/testing';
import { migrations } from '../src/migrations';
import { at, inventoryEnv, query, type RunningInventory, shopify, startInventory } from './support/inventory';

const root = path.resolve(__dirname, '../../..');
const main = 'apps/inventory/src/main.ts';

/** The real entry point, from source, as `nx run inventory:serve` runs it. */
function runMain(env: Record<string, string>, args: string[] = []) {
  return spawn(process.execPath, ['-r', '@swc-node/register', main, ...args], { cwd: root, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
}

function exitOf(child: ChildProcess): Promise<number | null> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve(child.exitCode);
  return new Promise((resolve) => child.once('exit', (code) => resolve(code)));
}

describe('inventory consumer killed mid-batch', () => {
  const kafka = createKafka({ brokers: testEnv().kafkaBrokers, clientId: uniqueName('inventory-crash-it') });
  const topic = uniqueName('it.inventory.crash');
  const groupId = uniqueName('inventory-crash');
  let database: TestDatabase;
  let successor: RunningInventory | undefined;
  let child: ChildProcess | undefined;

  beforeAll(async () => {
    await createTestTopics(kafka, [topic, deadLetterTopic(topic)], 3);
    database = await createTestDatabase('inventory');
  });

  afterAll(async () => {
    child?.kill('SIGKILL');
    await successor?.stop();
    await database?.drop();
    await deleteTestTopics(kafka, [topic, deadLetterTopic(topic)]);
  });

  it('migrates a fresh database with `main.ts --migrate`, and a second run finds nothing to do', () => {
    const env = { ...process.env, ...inventoryEnv(database.url, { LOG_LEVEL: 'info' }) };
    const first = spawnSync(process.execPath, ['-r', '@swc-node/register', main, '--migrate'], { cwd: root, env, encoding: 'utf8' });
    expect({ status: first.status, stderr: first.stderr }).toEqual({ status: 0, stderr: '' });
    // Every migration the app ships, whatever their number (each branch that adds one would otherwise edit this line).
    expect(first.stdout).toContain(`applied ${migrations.length} migration(s)`);
    const second = spawnSync(process.execPath, ['-r', '@swc-node/register', main, '--migrate'], { cwd: root, env, encoding: 'utf8' });
    expect(second.status).toBe(0);
    expect(second.stdout).toContain('schema up to date');
  });

  it('loses nothing and applies nothing twice when the consumer is SIGKILLed and a successor takes over', async () => {
    // Every row version the projection ever writes, recorded by the writing transaction itself:
    // a rolled-back (killed) transaction leaves no audit row, a committed one exactly one.
    await query(database.url, `CREATE TABLE level_writes (inventory_item_id bigint, location_id bigint, updated_at timestamptz, triggered_at timestamptz)`);
    await query(
      database.url,
      `CREATE FUNCTION audit_level_write() RETURNS trigger LANGUAGE plpgsql AS $$
       BEGIN
         INSERT INTO level_writes VALUES (NEW.inventory_item_id, NEW.location_id, NEW.updated_at, NEW.triggered_at);
         RETURN NEW;
       END $$`,
    );
    await query(database.url, `CREATE TRIGGER audit_level_write AFTER INSERT OR UPDATE ON inventory_levels FOR EACH ROW EXECUTE FUNCTION audit_level_write()`);

    const items = Array.from({ length: 120 }, (_, i) => 9000 + i);
    const versions = 100;
    const events = [];
    for (let v = 1; v <= versions; v++) for (const item of items) events.push(shopify.level(item, 1, v, at(v)));
    const publisher = new EventPublisher(kafka);
    await publisher.connect();
    for (let i = 0; i < events.length; i += 1_000) {
      await publisher.publish(topic, events.slice(i, i + 1_000).map((event) => ({ key: String(event.payload['inventory_item_id']), value: encodeEnvelope(event) })));
    }
    await publisher.close();

    const processed = async () => Number((await query<{ n: string }>(database.url, 'SELECT count(*) AS n FROM processed_events'))[0]!.n);
    const env = inventoryEnv(database.url, {
      PROJECTION_ENABLED: 'true',
      PROJECTION_GROUP_ID: groupId,
      PROJECTION_TOPICS: topic,
      PROJECTION_CHUNK_SIZE: '20',
      LOG_LEVEL: 'warn',
    });
    let output = '';
    child = runMain({ ...env, PORT: String(await freePort()) });
    child.stdout!.on('data', (chunk) => (output += chunk));
    child.stderr!.on('data', (chunk) => (output += chunk));
    const atKill = await waitFor(
      async () => {
        const n = await processed();
        return n >= 2_000 ? n : undefined;
      },
      { timeoutMs: 60_000, intervalMs: 20, what: `the child consumer to apply some events (output: ${output})` },
    );
    child.kill('SIGKILL');
    await exitOf(child);
    child = undefined;
    const afterKill = await processed();
    expect(afterKill).toBeLessThan(events.length);

    successor = await startInventory(env);
    await waitFor(async () => (await processed()) === events.length, { timeoutMs: 90_000, what: 'the successor to process every event' });

    // Nothing lost: every webhook id processed, every row at its newest version.
    const levels = await query<{ inventory_item_id: string; available: number; updated_at: Date }>(
      database.url,
      'SELECT inventory_item_id, available, updated_at FROM inventory_levels ORDER BY inventory_item_id',
    );
    expect(levels).toEqual(items.map((item) => ({ inventory_item_id: String(item), available: versions, updated_at: new Date(at(versions)) })));
    const stock = await query<{ on_hand: string }>(database.url, 'SELECT DISTINCT on_hand FROM stock');
    expect(stock).toEqual([{ on_hand: String(versions) }]);

    // Nothing applied twice: no row version was written by two committed transactions.
    const twice = await query(
      database.url,
      'SELECT inventory_item_id, updated_at, count(*) FROM level_writes GROUP BY 1, 2, triggered_at HAVING count(*) > 1',
    );
    expect(twice).toEqual([]);

    // The successor applied exactly what the child had not committed; whatever it was
    // handed again (chunks committed to the database, offsets not yet to Kafka) it counted as duplicate.
    const [applied, stale] = await Promise.all(
      (['applied', 'stale'] as const).map((result) => metricValue(successor!.url, 'understudy_events_applied_total', { topic, result })),
    );
    expect(applied + stale).toBe(events.length - afterKill);
    expect(atKill).toBeLessThanOrEqual(afterKill);
  });
});
