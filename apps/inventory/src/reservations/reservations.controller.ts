import { Controller, Delete, Get, Headers, HttpCode, Param, Post, Res } from '@nestjs/common';
import {
  ApiBadRequestResponse,
  ApiConflictResponse,
  ApiCreatedResponse,
  ApiHeader,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiOperation,
  ApiParam,
  ApiServiceUnavailableResponse,
  ApiTags,
  ApiUnprocessableEntityResponse,
} from '@nestjs/swagger';
import { openApiSchema, ValidBody } from '@understudy/platform';
import type { FastifyReply } from 'fastify';
import { parseParam, reservationIdSchema } from '../common/ids';
import { SHADOW_HEADER, Shadow } from '../common/shadow';
import { type CommitReservationRequest, commitReservationSchema } from './dto/commit-reservation.dto';
import { type CreateReservationRequest, createReservationSchema, idempotencyKeySchema, reservationResponseSchema } from './dto/create-reservation.dto';
import { ReservationsService } from './reservations.service';

const shadowHeader = ApiHeader({
  name: SHADOW_HEADER,
  required: false,
  description: '`1`: dry run — the full logic runs in a transaction that is rolled back; same answer, nothing stored.',
});
const reservationIdParam = ApiParam({ name: 'id', description: 'Reservation id (UUID).' });

@ApiTags('reservations')
@ApiServiceUnavailableResponse({ description: 'DATABASE_UNAVAILABLE: storage unreachable; retry.' })
@Controller('v1/reservations')
export class ReservationsController {
  constructor(private readonly reservations: ReservationsService) {}

  @Post()
  @ApiOperation({ summary: 'Hold units of one or more variants for a cart, all lines or none.' })
  @ApiHeader({
    name: 'Idempotency-Key',
    required: true,
    description: 'Same key and body → the same answer, replayed (header `idempotent-replayed: true`); same key, different body → 422.',
  })
  @shadowHeader
  @ApiCreatedResponse({ schema: openApiSchema(reservationResponseSchema) })
  @ApiBadRequestResponse({ description: 'VALIDATION_FAILED (body, ttlSeconds above the maximum, or Idempotency-Key missing).' })
  @ApiNotFoundResponse({ description: 'VARIANT_NOT_FOUND' })
  @ApiConflictResponse({ description: 'INSUFFICIENT_INVENTORY, with `details.lines` listing each short line and what is available.' })
  @ApiUnprocessableEntityResponse({ description: 'IDEMPOTENCY_KEY_REUSED' })
  async create(
    @ValidBody(createReservationSchema) request: CreateReservationRequest,
    @Headers('idempotency-key') idempotencyKey: string | undefined,
    @Shadow() shadow: boolean,
    @Res({ passthrough: true }) reply: FastifyReply,
  ) {
    const key = parseParam(idempotencyKeySchema, 'Idempotency-Key', idempotencyKey as string);
    const outcome = await this.reservations.create(request, key, shadow);
    void reply.status(outcome.status);
    if (outcome.replayed) void reply.header('idempotent-replayed', 'true');
    return outcome.body;
  }

  @Get(':id')
  @reservationIdParam
  @ApiOkResponse({ schema: openApiSchema(reservationResponseSchema) })
  @ApiNotFoundResponse({ description: 'RESERVATION_NOT_FOUND' })
  find(@Param('id') id: string) {
    return this.reservations.find(parseParam(reservationIdSchema, 'id', id));
  }

  @Delete(':id')
  @ApiOperation({ summary: 'Release the held units. Idempotent; a no-op once released or expired.' })
  @reservationIdParam
  @shadowHeader
  @ApiOkResponse({ schema: openApiSchema(reservationResponseSchema) })
  @ApiNotFoundResponse({ description: 'RESERVATION_NOT_FOUND' })
  @ApiConflictResponse({ description: 'RESERVATION_COMMITTED: sold units cannot be released.' })
  release(@Param('id') id: string, @Shadow() shadow: boolean) {
    return this.reservations.release(parseParam(reservationIdSchema, 'id', id), shadow);
  }

  @Post(':id/commit')
  @HttpCode(200)
  @ApiOperation({
    summary: 'Mark the held units sold. Idempotent.',
    description:
      "Sold units keep counting against stock until the projection applies a Shopify inventory level for the item newer than the sale (`soldAt`), which already has them deducted — so a sale is counted exactly once. See docs/inventory.md.",
  })
  @reservationIdParam
  @shadowHeader
  @ApiOkResponse({ schema: openApiSchema(reservationResponseSchema) })
  @ApiNotFoundResponse({ description: 'RESERVATION_NOT_FOUND' })
  @ApiConflictResponse({ description: 'RESERVATION_EXPIRED or RESERVATION_RELEASED' })
  commit(@Param('id') id: string, @ValidBody(commitReservationSchema) request: CommitReservationRequest, @Shadow() shadow: boolean) {
    return this.reservations.commit(parseParam(reservationIdSchema, 'id', id), request, shadow);
  }
}
