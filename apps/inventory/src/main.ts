import './instrument';
import { loadConfigOrExit } from '@understudy/config';
import { runService } from '@understudy/platform';
import { configSchema } from './config';

const config = loadConfigOrExit(configSchema);

void runService({
  service: 'inventory',
  title: 'Understudy inventory',
  description: 'Inventory projection from Kafka, availability checks and reservations that never oversell.',
  config,
  dependencies: {
    postgres: { url: config.DATABASE_URL, migrations: [] },
    redis: { url: config.REDIS_URL },
    kafka: { brokers: config.KAFKA_BROKERS },
  },
  imports: [],
});
