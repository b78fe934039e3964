import './instrument';
import { loadConfigOrExit } from '@understudy/config';
import { runService } from '@understudy/platform';
import { configSchema } from './config';

const config = loadConfigOrExit(configSchema);

void runService({
  service: 'pricing',
  title: 'Understudy pricing',
  description: 'B2B price lists, fixed prices, percentage adjustments, quantity price breaks and rules; quotes.',
  config,
  dependencies: {
    postgres: { url: config.DATABASE_URL, migrations: [] },
    kafka: { brokers: config.KAFKA_BROKERS },
  },
  imports: [],
});
