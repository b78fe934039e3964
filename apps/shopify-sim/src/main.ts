import './instrument';
import { loadConfigOrExit } from '@understudy/config';
import { runService } from '@understudy/platform';
import { BODY_LIMIT, IMPORTS, SERVICE } from './app';
import { configSchema } from './config';

const config = loadConfigOrExit(configSchema);

void runService({ ...SERVICE, config, dependencies: {}, imports: IMPORTS, bodyLimit: BODY_LIMIT });
