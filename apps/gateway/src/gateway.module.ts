import { type DynamicModule, Inject, Module, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import { AdminAuthGuard } from './admin/admin-auth.guard';
import { AdminController } from './admin/admin.controller';
import { AdminService } from './admin/admin.service';
import { CheckoutController } from './checkout/checkout.controller';
import { consoleControllers, consoleProviders } from './console/console.providers';
import { gatewayProviders } from './gateway.providers';
import { GuardLoop } from './guards/guard-loop';
import { DiffPruning } from './persistence/diff-pruning';
import { DiffRecorder } from './persistence/diff-recorder';
import { FleetStats } from './persistence/fleet-stats';
import { RouteSync } from './persistence/route-sync';
import type { LiveRoutes } from './routes/live-routes';
import { Breakers } from './upstream/breakers';
import { IdempotencyPruning } from './upstream/idempotency-pruning';
import { Upstreams } from './upstream/upstreams';

/** Checkout routes and the admin API, with what runs behind them (route sync, guards, fleet stats, upstreams) started and stopped here. */
@Module({})
export class GatewayModule implements OnApplicationBootstrap, OnApplicationShutdown {
  constructor(
    @Inject(RouteSync) private readonly sync: RouteSync,
    @Inject(GuardLoop) private readonly guards: GuardLoop,
    @Inject(FleetStats) private readonly fleet: FleetStats,
    @Inject(DiffPruning) private readonly pruning: DiffPruning,
    @Inject(IdempotencyPruning) private readonly idempotencyPruning: IdempotencyPruning,
    @Inject(DiffRecorder) private readonly diffs: DiffRecorder,
    @Inject(Breakers) private readonly breakers: Breakers,
    @Inject(Upstreams) private readonly upstreams: Upstreams,
  ) {}

  static register(routes: LiveRoutes): DynamicModule {
    return {
      module: GatewayModule,
      controllers: [CheckoutController, AdminController, ...consoleControllers],
      providers: [...gatewayProviders(routes), AdminService, AdminAuthGuard, ...consoleProviders],
    };
  }

  onApplicationBootstrap(): void {
    this.sync.start();
    this.guards.start();
    this.fleet.start();
    this.pruning.start();
    this.idempotencyPruning.start();
  }

  async onApplicationShutdown(): Promise<void> {
    this.pruning.stop();
    this.idempotencyPruning.stop();
    this.guards.stop();
    await this.fleet.stop();
    await this.sync.stop();
    await this.diffs.close().catch(() => undefined);
    this.breakers.shutdown();
    await this.upstreams.close();
  }
}
