import './instrument';
import { loadConfigOrExit } from '@understudy/config';
import { runService } from '@understudy/platform';
import { configSchema } from './config';
import { reconcilerService } from './service';

void runService(reconcilerService(loadConfigOrExit(configSchema)));
