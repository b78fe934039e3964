import './instrument';
import { loadConfigOrExit } from '@understudy/config';
import { runService } from '@understudy/platform';
import { configSchema } from './config';

const config = loadConfigOrExit(configSchema);

void runService({
  service: 'reconciler',
  title: 'Understudy reconciler',
  description: 'Diffs Shopify\'s truth against the projections and repairs drift.',
  config,
  dependencies: {
    postgres: { url: config.DATABASE_URL, migrations: [] },
    kafka: { brokers: config.KAFKA_BROKERS },
  },
  imports: [],
});
