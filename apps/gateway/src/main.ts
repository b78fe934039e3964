import './instrument';
import { loadConfigOrExit } from '@understudy/config';
import { runService } from '@understudy/platform';
import { configSchema } from './config';
import { gatewayService } from './gateway';

const config = loadConfigOrExit(configSchema);

void runService(gatewayService(config));
