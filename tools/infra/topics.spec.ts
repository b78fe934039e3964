import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { deadLetterTopic } from '@understudy/messaging';
import { registryKafkaTopics, resourceKeyFor, TOPICS, type TopicName, WEBHOOK_TOPIC_NAMES } from '@understudy/shopify';

const root = path.resolve(__dirname, '../..');
const catalogueFile = path.join(root, 'libs/messaging/src/topic-catalog.json');

/**
 * The topic registry (libs/shopify) is the one source; the JSON catalogue is
 * its copy for tools/infra, and what infra creates is read from infra itself.
 */
describe('topic registry, catalogue and infra agree', () => {
  const catalogue = JSON.parse(readFileSync(catalogueFile, 'utf8')) as { topics: string[] };
  const infraList = execFileSync(process.execPath, [path.join(root, 'tools/infra/kafka.mjs'), 'list', catalogueFile], { encoding: 'utf8' })
    .split('\n')
    .filter(Boolean);

  it('lists the same Kafka topics in the registry and the catalogue', () => {
    expect([...catalogue.topics].sort()).toEqual(registryKafkaTopics().sort());
  });

  it('has infra create every registry topic and its dead-letter twin, nothing else', () => {
    expect(infraList.sort()).toEqual(registryKafkaTopics().flatMap((topic) => [topic, deadLetterTopic(topic)]).sort());
  });

  it('names topics by convention: shopify.<resource>.<event> for webhooks, reconcile.<resource> for facts, their deletions and end marks', () => {
    for (const [name, definition] of Object.entries(TOPICS)) {
      expect(definition.name).toBe(name);
      if (definition.source === 'webhook') {
        expect(definition.kafkaTopic).toBe(`shopify.${name.replace('/', '.')}`);
        expect(definition.subscription).toBe(name.replace('/', '_').toUpperCase());
      } else {
        expect(name).toMatch(/^reconcile\/[a-z_]+$/);
        // A deletion (`reconcile/<resource>_delete`) and a run's end mark (`reconcile/<resource>_snapshot`) travel with the facts about the resource.
        expect(definition.kafkaTopic).toBe(name.replace(/_(delete|snapshot)$/, '').replace('/', '.'));
      }
    }
    expect(WEBHOOK_TOPIC_NAMES).toEqual(['inventory_levels/update', 'inventory_items/update', 'products/update', 'bulk_operations/finish']);
  });

  it('keys a reconciler fact like the webhook about the same resource, so both share a partition', () => {
    const level = { inventory_item_id: 42, location_id: 7, available: 3, updated_at: '2026-11-22T10:00:00Z' };
    const product = { id: 9, title: 't', updated_at: '2026-11-22T10:00:00Z', variants: [] };
    const item = { id: 42, tracked: true, updated_at: '2026-11-22T10:00:00Z' };
    const pairs: Array<[TopicName, TopicName, unknown]> = [
      ['inventory_levels/update', 'reconcile/inventory_levels', level],
      ['products/update', 'reconcile/products', product],
      ['inventory_items/update', 'reconcile/inventory_items', item],
      ['inventory_levels/update', 'reconcile/inventory_levels_delete', level],
      ['products/update', 'reconcile/products_delete', product],
      ['inventory_items/update', 'reconcile/inventory_items_delete', item],
    ];
    for (const [webhook, fact, payload] of pairs) {
      expect(resourceKeyFor(fact, payload)).toEqual(resourceKeyFor(webhook, payload));
      expect(resourceKeyFor(fact, payload)).toMatchObject({ ok: true });
    }
  });
});
