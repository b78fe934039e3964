import './instrument';
import { loadConfigOrExit } from '@understudy/config';
import { runService } from '@understudy/platform';
import { configSchema } from './config';
import { monolithService } from './monolith';

const config = loadConfigOrExit(configSchema);

void runService(monolithService(config));
