import { Controller, Get, Injectable, ServiceUnavailableException } from '@nestjs/common';
import { ApiOkResponse, ApiServiceUnavailableResponse, ApiTags } from '@nestjs/swagger';
import { HealthCheck, HealthCheckService, HealthIndicatorService } from '@nestjs/terminus';
import { type DependencyProbe, runProbe } from './probe';
import { Lifecycle } from './shutdown';

export const PROBE_TIMEOUT_MS = 2_000;

/**
 * What `/health/ready` checks: the dependency probes the service was built
 * with, plus details a feature registers when it is created (a Kafka
 * consumer's status, say), usually non-critical.
 */
@Injectable()
export class Readiness {
  private readonly list: DependencyProbe[];

  constructor(probes: DependencyProbe[] = []) {
    this.list = [...probes];
  }

  add(probe: DependencyProbe): void {
    this.list.push(probe);
  }

  get probes(): readonly DependencyProbe[] {
    return this.list;
  }
}

@ApiTags('health')
@Controller('health')
export class HealthController {
  constructor(
    private readonly health: HealthCheckService,
    private readonly indicators: HealthIndicatorService,
    private readonly lifecycle: Lifecycle,
    private readonly readiness: Readiness,
  ) {}

  /** The process is alive and its event loop turns. Never checks dependencies: a restart would not fix them. */
  @Get('live')
  @ApiOkResponse({ description: 'The process is running.' })
  live() {
    return { status: 'ok' };
  }

  /** Every critical dependency answers and the process is not shutting down; non-critical ones are reported (`degraded`). */
  @Get('ready')
  @HealthCheck()
  @ApiOkResponse({ description: 'Ready for traffic; one entry per dependency.' })
  @ApiServiceUnavailableResponse({ description: 'A dependency is down (named in `error`) or the process is shutting down.' })
  ready() {
    if (this.lifecycle.isShuttingDown) {
      throw new ServiceUnavailableException({ status: 'error', error: { shutdown: { status: 'down', message: 'shutting down' } } });
    }
    return this.health.check(
      this.readiness.probes.map((probe) => async () => {
        const indicator = this.indicators.check(probe.name);
        try {
          const details = await runProbe(probe, PROBE_TIMEOUT_MS);
          return indicator.up(details ?? undefined);
        } catch (error) {
          const message = error instanceof Error ? error.message : String(error);
          return probe.critical === false ? indicator.up({ degraded: true, message }) : indicator.down({ message });
        }
      }),
    );
  }
}
