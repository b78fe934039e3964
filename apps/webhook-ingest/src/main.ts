import './instrument';
import { loadConfigOrExit } from '@understudy/config';
import { runService } from '@understudy/platform';
import { configSchema } from './config';

const config = loadConfigOrExit(configSchema);

void runService({
  service: 'webhook-ingest',
  title: 'Understudy webhook ingest',
  description: 'Shopify webhook endpoint: HMAC, header validation, dedup, publish to Kafka with ack, durable fallback.',
  config,
  dependencies: {
    postgres: { url: config.DATABASE_URL, migrations: [] },
    redis: { url: config.REDIS_URL },
    kafka: { brokers: config.KAFKA_BROKERS },
  },
  imports: [],
});
