import { Controller, Post, Res } from '@nestjs/common';
import { ApiBadRequestResponse, ApiConflictResponse, ApiHeader, ApiCreatedResponse, ApiNotFoundResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { type InventoryCheckRequest, inventoryCheckRequestSchema, type ReservationRequest, reservationRequestSchema, SHADOW_HEADER } from '@understudy/contracts';
import { ValidBody } from '@understudy/platform';
import type { FastifyReply } from 'fastify';
import { PostAnswer, Shadow } from '../common/legacy';
import { InventoryService } from './inventory.service';

@ApiTags('inventory')
@Controller('inventory')
export class InventoryController {
  constructor(private readonly inventory: InventoryService) {}

  @PostAnswer('check', {
    summary: 'Can this many units be sold now? Answers with numeric ids and a generatedAt timestamp (legacy format).',
    ok: '`{variantId: number, requested, available, availableQuantity, generatedAt}`',
    badRequest: 'VALIDATION_FAILED or INVALID_CART_TOKEN',
    notFound: 'VARIANT_NOT_FOUND',
  })
  check(@ValidBody(inventoryCheckRequestSchema) request: InventoryCheckRequest) {
    return this.inventory.check(request);
  }

  @Post('reservations')
  @ApiOperation({ summary: 'Hold units for a cart, all lines or none.' })
  @ApiHeader({ name: SHADOW_HEADER, required: false, description: '`1`: dry run, rolled back.' })
  @ApiCreatedResponse({ description: '`{id: "lmr_…", cartToken, status, createdAt, expiresAt, lines, generatedAt}`' })
  @ApiBadRequestResponse({ description: 'VALIDATION_FAILED or INVALID_CART_TOKEN' })
  @ApiNotFoundResponse({ description: 'VARIANT_NOT_FOUND' })
  @ApiConflictResponse({ description: 'INSUFFICIENT_INVENTORY with `details.lines`' })
  async reserve(@ValidBody(reservationRequestSchema) request: ReservationRequest, @Shadow() shadow: boolean, @Res({ passthrough: true }) reply: FastifyReply) {
    const outcome = await this.inventory.reserve(request, shadow);
    void reply.status(outcome.status);
    return outcome.body;
  }
}
