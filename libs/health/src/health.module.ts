import { DynamicModule, Global, Module } from '@nestjs/common';
import { TerminusModule } from '@nestjs/terminus';
import { HealthController, Readiness } from './health.controller';
import type { DependencyProbe } from './probe';
import { Lifecycle } from './shutdown';

/** `GET /health/live` and `GET /health/ready` over the given probes. */
@Global()
@Module({})
export class HealthModule {
  static forRoot(options: { probes: DependencyProbe[]; lifecycle: Lifecycle }): DynamicModule {
    return {
      module: HealthModule,
      imports: [TerminusModule.forRoot({ errorLogStyle: 'json', logger: false })],
      controllers: [HealthController],
      providers: [
        { provide: Readiness, useValue: new Readiness(options.probes) },
        { provide: Lifecycle, useValue: options.lifecycle },
      ],
      exports: [Lifecycle, Readiness],
    };
  }
}
