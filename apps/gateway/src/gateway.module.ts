import { type DynamicModule, Inject, Module, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import { APP_CONFIG } from '@understudy/config';
import { LOGGER, METRICS } from '@understudy/observability';
import { DATA_SOURCE, REDIS } from '@understudy/platform';
import type { Redis } from 'ioredis';
import type { Logger } from 'pino';
import type { Registry } from 'prom-client';
import type { DataSource } from 'typeorm';
import { AdminAuthGuard } from './admin/admin-auth.guard';
import { AdminController } from './admin/admin.controller';
import { AdminService } from './admin/admin.service';
import { CheckoutController } from './checkout/checkout.controller';
import type { Config } from './config';
import { createRuntime, GATEWAY_RUNTIME, type GatewayRuntime } from './gateway-runtime';
import type { LiveRoutes } from './routes/live-routes';

/** Checkout routes, admin API, and the runtime behind them (route sync, guards, upstreams). */
@Module({})
export class GatewayModule implements OnApplicationBootstrap, OnApplicationShutdown {
  constructor(@Inject(GATEWAY_RUNTIME) private readonly runtime: GatewayRuntime) {}

  static register(routes: LiveRoutes): DynamicModule {
    return {
      module: GatewayModule,
      controllers: [CheckoutController, AdminController],
      providers: [
        {
          provide: GATEWAY_RUNTIME,
          inject: [APP_CONFIG, DATA_SOURCE, REDIS, METRICS, LOGGER],
          useFactory: (config: Config, dataSource: DataSource, redis: Redis, registry: Registry, logger: Logger) =>
            createRuntime({ config, routes, dataSource, redis, registry, logger }),
        },
        AdminService,
        AdminAuthGuard,
      ],
      exports: [GATEWAY_RUNTIME],
    };
  }

  onApplicationBootstrap(): void {
    this.runtime.start();
  }

  async onApplicationShutdown(): Promise<void> {
    await this.runtime.stop();
  }
}
