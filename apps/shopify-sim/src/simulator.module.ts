import { Global, Inject, Injectable, Module, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import { APP_CONFIG } from '@understudy/config';
import { LOGGER, METRICS } from '@understudy/observability';
import type { Logger } from 'pino';
import type { Registry } from 'prom-client';
import type { Config } from './config';
import { Simulator } from './simulator';

export const SIMULATOR = Symbol('SIMULATOR');

/** Seeds the default shop at start-up (SIM_SEED_VARIANTS > 0) and closes the simulator on shutdown. */
@Injectable()
class SimulatorLifecycle implements OnApplicationBootstrap, OnApplicationShutdown {
  constructor(
    @Inject(SIMULATOR) private readonly simulator: Simulator,
    @Inject(APP_CONFIG) private readonly config: Config,
    @Inject(LOGGER) private readonly logger: Logger,
  ) {}

  onApplicationBootstrap(): void {
    const { config } = this;
    if (config.SIM_SEED_VARIANTS === 0) return;
    const started = performance.now();
    this.simulator.seed({
      shop: config.SIM_SHOP,
      variants: config.SIM_SEED_VARIANTS,
      locations: config.SIM_SEED_LOCATIONS,
      companies: config.SIM_SEED_COMPANIES,
      seed: config.SIM_SEED,
    });
    this.logger.info({ shop: config.SIM_SHOP, variants: config.SIM_SEED_VARIANTS, ms: Math.round(performance.now() - started) }, 'seeded');
  }

  async onApplicationShutdown(): Promise<void> {
    await this.simulator.close();
  }
}

@Global()
@Module({
  providers: [
    {
      provide: SIMULATOR,
      inject: [APP_CONFIG, LOGGER, METRICS],
      useFactory: (config: Config, logger: Logger, metrics: Registry) => new Simulator(config, logger, metrics),
    },
    SimulatorLifecycle,
  ],
  exports: [SIMULATOR],
})
export class SimulatorModule {}
