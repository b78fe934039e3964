import './instrument';
import { loadConfigOrExit } from '@understudy/config';
import { runService } from '@understudy/platform';
import { configSchema } from './config';

const config = loadConfigOrExit(configSchema);

void runService({
  service: 'legacy-monolith',
  title: 'Understudy legacy monolith',
  description: 'The reference monolith with the checkout endpoints the gateway fronts.',
  config,
  dependencies: {
    postgres: { url: config.DATABASE_URL, migrations: [] },
  },
  imports: [],
});
