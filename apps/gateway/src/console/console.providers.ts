import { ConsoleApiController } from './console-api.controller';
import { ConsoleController } from './console.controller';
import { ConsoleService } from './console.service';

/** The operator console's part of the gateway module: its page, its extra admin endpoints, and the service behind them. */
export const consoleControllers = [ConsoleController, ConsoleApiController];
export const consoleProviders = [ConsoleService];
