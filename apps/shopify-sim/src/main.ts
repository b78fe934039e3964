import './instrument';
import { loadConfigOrExit } from '@understudy/config';
import { runService } from '@understudy/platform';
import { configSchema } from './config';

const config = loadConfigOrExit(configSchema);

void runService({
  service: 'shopify-sim',
  title: 'Understudy Shopify simulator',
  description: 'A faithful local Shopify: Admin GraphQL with cost throttling, bulk operations, webhook delivery.',
  config,
  dependencies: {},
  imports: [],
});
