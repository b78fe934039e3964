import './instrument';
import { loadConfigOrExit } from '@understudy/config';
import { runService } from '@understudy/platform';
import { configSchema } from './config';
import { webhookIngestService } from './service';

void runService(webhookIngestService(loadConfigOrExit(configSchema)));
