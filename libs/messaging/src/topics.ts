/**
 * Kafka topic conventions. Which topics exist is not decided here: the
 * registry in libs/shopify (`TOPICS`) names them, and topic-catalog.json is
 * the copy tools/infra creates them from (tools/infra/topics.spec.ts keeps
 * the two equal).
 */
export const DEAD_LETTER_SUFFIX = '.dlq';

export function deadLetterTopic(topic: string): string {
  return `${topic}${DEAD_LETTER_SUFFIX}`;
}
