// Not named topics.json: Node resolves './topics' to a .json before a .ts (swc-node), shadowing topics.ts.
import topicCatalog from './topic-catalog.json';

/** Topic names. The list lives in topic-catalog.json so tools/infra can create the same topics without TypeScript. */
export const TOPIC_PARTITIONS: number = topicCatalog.partitions;
export const PLATFORM_TOPICS: readonly string[] = topicCatalog.topics;

export const DEAD_LETTER_SUFFIX = '.dlq';

/** `inventory_levels/update` → `shopify.inventory_levels.update`. */
export function topicForWebhook(shopifyTopic: string): string {
  if (!/^[a-z_]+\/[a-z_]+$/.test(shopifyTopic)) {
    throw new Error(`not a Shopify webhook topic: ${JSON.stringify(shopifyTopic)}`);
  }
  return `shopify.${shopifyTopic.replace('/', '.')}`;
}

export function deadLetterTopic(topic: string): string {
  return `${topic}${DEAD_LETTER_SUFFIX}`;
}

/** Every topic the platform needs, dead-letter twins included. */
export function allPlatformTopics(): string[] {
  return PLATFORM_TOPICS.flatMap((topic) => [topic, deadLetterTopic(topic)]);
}
