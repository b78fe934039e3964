import { subscriptionTopic, type WebhookTopic } from '../topics/registry';
import type { ShopifyAdminClient } from './admin-client';

/**
 * Makes sure the shop has one webhook subscription per topic pointing at
 * `uri`. Idempotent: existing subscriptions with that URI are kept, missing
 * ones are created, nothing else is touched (other apps' subscriptions, or
 * ours for topics no longer configured, are reported only). webhook-ingest
 * runs it at start-up; the reconciler on every run, to restore subscriptions
 * Shopify removed after failed deliveries.
 */
export interface SubscriptionPlan {
  created: string[];
  kept: string[];
  /** Topics without a subscription to `uri` that were not created (`create: false`). */
  missing: string[];
  /** Subscriptions for our topics that point elsewhere (left alone, reported). */
  elsewhere: Array<{ topic: string; uri: string }>;
}

const LIST = `query Subscriptions($after: String) {
  webhookSubscriptions(first: 100, after: $after) {
    nodes { id topic uri }
    pageInfo { hasNextPage endCursor }
  }
}`;

const CREATE = `mutation Subscribe($topic: WebhookSubscriptionTopic!, $uri: String!) {
  webhookSubscriptionCreate(topic: $topic, webhookSubscription: { uri: $uri, format: JSON }) {
    webhookSubscription { id topic uri }
    userErrors { field message }
  }
}`;

/** `create: false` only reports: missing topics are listed in `missing`, nothing is created (a dry run). */
export async function ensureSubscriptions(
  client: ShopifyAdminClient,
  topics: readonly WebhookTopic[],
  uri: string,
  options: { create?: boolean; signal?: AbortSignal } = {},
): Promise<SubscriptionPlan> {
  const existing: Array<{ id: string; topic: string; uri: string }> = [];
  for await (const page of client.paginate<{ id: string; topic: string; uri: string }, { webhookSubscriptions: never }>(LIST, {
    connection: (data) => data.webhookSubscriptions,
    signal: options.signal,
  })) {
    existing.push(...page.nodes);
  }
  const plan: SubscriptionPlan = { created: [], kept: [], missing: [], elsewhere: [] };
  for (const topic of topics) {
    const wanted = subscriptionTopic(topic);
    const forTopic = existing.filter((subscription) => subscription.topic === wanted);
    if (forTopic.some((subscription) => subscription.uri === uri)) {
      plan.kept.push(topic);
      continue;
    }
    plan.elsewhere.push(...forTopic.map((subscription) => ({ topic, uri: subscription.uri })));
    if (options.create === false) {
      plan.missing.push(topic);
      continue;
    }
    const response = await client.request<{
      webhookSubscriptionCreate: { userErrors: Array<{ field: string[] | null; message: string }> };
    }>(CREATE, { variables: { topic: wanted, uri }, signal: options.signal });
    const errors = response.data.webhookSubscriptionCreate.userErrors;
    if (errors.length > 0) throw new Error(`could not subscribe to ${topic}: ${errors.map((e) => e.message).join('; ')}`);
    plan.created.push(topic);
  }
  return plan;
}
