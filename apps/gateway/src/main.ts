import './instrument';
import { loadConfigOrExit } from '@understudy/config';
import { runService } from '@understudy/platform';
import { configSchema } from './config';

const config = loadConfigOrExit(configSchema);

void runService({
  service: 'gateway',
  title: 'Understudy gateway',
  description: 'Checkout-facing routes, per-route modes, shadow comparison, guards, rollback and the admin API.',
  config,
  dependencies: {
    postgres: { url: config.DATABASE_URL, migrations: [] },
    redis: { url: config.REDIS_URL },
  },
  imports: [],
});
