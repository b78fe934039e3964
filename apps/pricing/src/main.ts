import './instrument';
import { loadConfigOrExit } from '@understudy/config';
import { runService } from '@understudy/platform';
import { configSchema } from './config';
import { pricingService } from './pricing';

const config = loadConfigOrExit(configSchema);

void runService(pricingService(config));
