import { Controller, Get, HttpCode, Param, Post } from '@nestjs/common';
import { ApiBadRequestResponse, ApiNotFoundResponse, ApiOkResponse, ApiOperation, ApiParam, ApiServiceUnavailableResponse, ApiTags } from '@nestjs/swagger';
import { openApiSchema, ValidBody } from '@understudy/platform';
import { parseParam, variantIdSchema } from '../common/ids';
import { AvailabilityService } from './availability.service';
import {
  type CheckAvailabilityRequest,
  checkAvailabilityResponseSchema,
  checkAvailabilitySchema,
  variantAvailabilityResponseSchema,
} from './dto/check-availability.dto';

@ApiTags('availability')
@ApiServiceUnavailableResponse({ description: 'DATABASE_UNAVAILABLE: storage unreachable; retry.' })
@Controller('v1')
export class AvailabilityController {
  constructor(private readonly availability: AvailabilityService) {}

  @Post('check')
  @HttpCode(200)
  @ApiOperation({ summary: 'Can this many units of a variant be sold now?' })
  @ApiOkResponse({ schema: openApiSchema(checkAvailabilityResponseSchema) })
  @ApiBadRequestResponse({ description: 'VALIDATION_FAILED: bad variant id, or quantity not a positive integer.' })
  @ApiNotFoundResponse({ description: 'VARIANT_NOT_FOUND' })
  check(@ValidBody(checkAvailabilitySchema) request: CheckAvailabilityRequest) {
    return this.availability.check(request);
  }

  @Get('variants/:variantId/availability')
  @ApiOperation({ summary: "A variant's stock, reservations and per-location levels." })
  @ApiParam({ name: 'variantId', description: 'Numeric variant id or its GID (URL-encoded).', schema: openApiSchema(variantIdSchema) })
  @ApiOkResponse({ schema: openApiSchema(variantAvailabilityResponseSchema) })
  @ApiBadRequestResponse({ description: 'VALIDATION_FAILED: not a variant id.' })
  @ApiNotFoundResponse({ description: 'VARIANT_NOT_FOUND' })
  variantAvailability(@Param('variantId') variantId: string) {
    return this.availability.variantAvailability(parseParam(variantIdSchema, 'variantId', variantId));
  }
}
