import { createReadStream } from 'node:fs';
import { Readable } from 'node:stream';
import { Controller, Delete, Get, HttpCode, Inject, Param, Post, Put, Res, UseGuards } from '@nestjs/common';
import { ApiForbiddenResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { withDeadline } from '@understudy/concurrency';
import { ApiError, ValidBody, ValidQuery } from '@understudy/platform';
import type { FastifyReply } from 'fastify';
import type { z } from 'zod';
import { applyMerchantChange } from '../inventory/merchant-changes';
import type { Simulator } from '../simulator';
import { SIMULATOR } from '../simulator.module';
import type { ShopState } from '../store/shop';
import { ControlAccessGuard } from './control-access';
import { inventoryDump } from './truth';
import {
  type ChangesBody,
  changesSchema,
  type ChaosBody,
  chaosSchema,
  deliveriesQuerySchema,
  drainSchema,
  type FlashSaleBody,
  flashSaleSchema,
  type SeedBody,
  seedSchema,
  type SettingsBody,
  settingsSchema,
  shopQuerySchema,
  type ThrottleBody,
  throttleSchema,
} from './dto/control.dto';

/** The simulator's own API: seed, knobs, chaos, delivery log, truth. Not part of Shopify. Local clients only, by default. */
@ApiTags('Simulator control')
@ApiForbiddenResponse({ description: 'CONTROL_API_LOOPBACK_ONLY: the caller is not on this machine (SIM_CONTROL_ACCESS=loopback).' })
@UseGuards(ControlAccessGuard)
@Controller('_sim')
export class ControlController {
  constructor(@Inject(SIMULATOR) private readonly simulator: Simulator) {}

  private shop(domain: string | undefined): ShopState {
    const shop = this.simulator.store.get(domain);
    if (!shop) throw new ApiError(404, 'SHOP_NOT_FOUND', `no shop ${domain ?? this.simulator.store.defaultShop}; seed it first (POST /_sim/seed)`);
    return shop;
  }

  @Post('seed')
  @HttpCode(201)
  @ApiOperation({ summary: 'Replace a shop with deterministic seeded data (same seed → same data)' })
  seed(@ValidBody(seedSchema) body: SeedBody) {
    const started = performance.now();
    const domain = body.shop ?? this.simulator.store.defaultShop;
    const shop = this.simulator.seed({ ...body, shop: domain }, body.accessTokens ?? this.simulator.settings.accessTokens);
    return {
      shop: domain,
      // How many, never which: the control API does not hand out credentials.
      accessTokens: (body.accessTokens ?? this.simulator.settings.accessTokens).length,
      products: shop.products.length,
      variants: shop.variants.length,
      locations: shop.locations.length,
      companies: shop.companies.length,
      companyLocations: shop.companyLocations.length,
      priceLists: shop.priceLists.length,
      durationMs: Math.round(performance.now() - started),
    };
  }

  @Post('reset')
  @HttpCode(200)
  @ApiOperation({ summary: 'Drop subscriptions, bulk operations, queued deliveries, chaos, counters and throttle state' })
  reset() {
    this.simulator.reset();
    return { reset: true };
  }

  @Get('settings')
  @ApiOperation({ summary: 'Current settings, throttle limits and chaos knobs (never the app secret or access tokens)' })
  settings() {
    const { settings, throttles, store } = this.simulator;
    const { appSecret: _secret, accessTokens, ...visible } = settings;
    return { ...visible, accessTokens: accessTokens.length, plan: this.simulator.plan, throttle: throttles.limits(store.defaultShop) };
  }

  @Put('settings')
  @ApiOperation({ summary: 'Change the app secret, time scale or webhook delivery settings' })
  updateSettings(@ValidBody(settingsSchema) body: SettingsBody) {
    const { settings } = this.simulator;
    if (body.appSecret !== undefined) settings.appSecret = body.appSecret;
    if (body.timeScale !== undefined) settings.timeScale = body.timeScale;
    if (body.webhook) Object.assign(settings.webhook, body.webhook);
    return this.settings();
  }

  @Put('throttle')
  @ApiOperation({ summary: 'Set rate limits: a plan preset and/or restoreRate and maximumAvailable (per shop or for all)' })
  throttle(@ValidBody(throttleSchema) body: ThrottleBody) {
    const limits = this.simulator.setThrottle(body);
    return { plan: this.simulator.plan, ...limits };
  }

  @Put('chaos')
  @ApiOperation({ summary: 'Set webhook chaos knobs: duplicateRate, reorderWindowMs, dropRate, addedDelayMs' })
  chaos(@ValidBody(chaosSchema) body: ChaosBody) {
    Object.assign(this.simulator.settings.chaos, body);
    return this.simulator.settings.chaos;
  }

  @Post('chaos/flash-sale')
  @HttpCode(202)
  @ApiOperation({ summary: 'Start a burst of N orders per second for a while (each raises inventory webhooks)' })
  flashSale(@ValidBody(flashSaleSchema) body: FlashSaleBody) {
    const { shop, ...options } = body;
    return this.simulator.startFlashSale(this.shop(shop), options).status;
  }

  @Get('chaos/flash-sale/:id')
  @ApiOperation({ summary: 'Progress of a flash sale' })
  flashSaleStatus(@Param('id') id: string) {
    const sale = this.simulator.flashSale(id);
    if (!sale) throw new ApiError(404, 'NOT_FOUND', `no flash sale ${id}`);
    return sale.status;
  }

  @Delete('chaos/flash-sale/:id')
  @ApiOperation({ summary: 'Stop a flash sale early' })
  stopFlashSale(@Param('id') id: string) {
    const sale = this.simulator.flashSale(id);
    if (!sale) throw new ApiError(404, 'NOT_FOUND', `no flash sale ${id}`);
    sale.stop();
    return sale.status;
  }

  @Post('changes')
  @HttpCode(200)
  @ApiOperation({ summary: 'Change inventory, items or products as a merchant or an order would (raises webhooks)' })
  changes(@ValidBody(changesSchema) body: ChangesBody) {
    const shop = this.shop(body.shop);
    const results = body.changes.map((change) => applyMerchantChange(shop, change, this.simulator.events));
    const failed = results.filter((result) => !result.ok).length;
    return { applied: results.length - failed, failed, results };
  }

  @Get('webhooks/counters')
  @ApiOperation({ summary: 'Delivery counters: sent, succeeded, failed, retried, dropped, duplicated, abandoned, pending' })
  counters() {
    return this.simulator.dispatcher.counters();
  }

  @Get('webhooks/deliveries')
  @ApiOperation({ summary: 'The delivery log, most recent first' })
  deliveries(@ValidQuery(deliveriesQuerySchema) query: z.infer<typeof deliveriesQuerySchema>) {
    return { deliveries: this.simulator.dispatcher.deliveries(query) };
  }

  @Post('webhooks/drain')
  @HttpCode(200)
  @ApiOperation({ summary: 'Wait until no delivery is queued or in flight (or the timeout passes)' })
  async drain(@ValidBody(drainSchema) body: z.infer<typeof drainSchema>) {
    const timedOut = await withDeadline(
      this.simulator.dispatcher.whenIdle().then(() => false),
      body.timeoutMs,
      () => true,
    );
    return { idle: !timedOut, counters: this.simulator.dispatcher.counters() };
  }

  @Post('webhooks/reset-counters')
  @HttpCode(200)
  @ApiOperation({ summary: 'Zero the delivery counters and clear the log' })
  resetCounters() {
    this.simulator.dispatcher.resetCounters();
    return this.simulator.dispatcher.counters();
  }

  @Get('truth/inventory')
  @ApiOperation({ summary: "Stream every inventory level (NDJSON): Shopify's truth, for reconciliation checks" })
  async truth(@ValidQuery(shopQuerySchema) query: z.infer<typeof shopQuerySchema>, @Res() reply: FastifyReply): Promise<void> {
    const shop = this.shop(query.shop);
    await reply.header('content-type', 'application/x-ndjson').send(Readable.from(inventoryDump(shop)));
  }

  @Get('bulk/:file')
  @ApiOperation({ summary: 'Download a completed bulk operation result (JSONL); the URL a BulkOperation hands out' })
  async bulkResult(@Param('file') file: string, @Res() reply: FastifyReply): Promise<void> {
    const match = /^(\d+)\.jsonl$/.exec(file);
    const filePath = match ? this.simulator.bulk.resultFile(this.simulator.store.all(), Number(match[1])) : undefined;
    if (!filePath) throw new ApiError(404, 'NOT_FOUND', `no bulk result ${file}`);
    await reply.header('content-type', 'application/jsonl').send(createReadStream(filePath));
  }
}
