// `nx run webhook-ingest:subscribe`: ensure the shop's webhook subscriptions once, print the plan, exit.
import { loadConfigOrExit } from '@understudy/config';
import { createMetricsRegistry } from '@understudy/observability';
import { configSchema } from './config';
import { adminClientFor } from './subscriptions/subscriptions.service';
import { ensureSubscriptions } from '@understudy/shopify';

async function main(): Promise<number> {
  const config = loadConfigOrExit(configSchema);
  const client = adminClientFor(config, createMetricsRegistry('webhook-ingest-subscribe'));
  if (!client || !config.WEBHOOK_CALLBACK_URL) {
    process.stderr.write('SHOPIFY_ACCESS_TOKEN and WEBHOOK_CALLBACK_URL must be set to manage subscriptions\n');
    return 78;
  }
  try {
    const plan = await ensureSubscriptions(client, config.WEBHOOK_TOPICS, config.WEBHOOK_CALLBACK_URL);
    process.stdout.write(`${JSON.stringify(plan, null, 2)}\n`);
    return 0;
  } finally {
    await client.close();
  }
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    process.stderr.write(`subscribe failed: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exit(1);
  },
);
