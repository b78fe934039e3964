import './instrument';
import { loadConfigOrExit } from '@understudy/config';
import { runService } from '@understudy/platform';
import { configSchema } from './config';
import { inventoryService } from './inventory';

const config = loadConfigOrExit(configSchema);

void runService(inventoryService(config));
