import { Controller, Get } from '@nestjs/common';
import { ApiBadRequestResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { openApiSchema, ValidQuery } from '@understudy/platform';
import { z } from 'zod';
import { ReconcilerService } from '../runs/reconciler.service';

const deliveryQuerySchema = z.object({ hours: z.coerce.number().int().min(1).max(24 * 90).default(24) });

const hour = z.object({ shop: z.string(), hour: z.string(), changes: z.number().int(), viaWebhook: z.number().int(), viaReconciler: z.number().int(), ratio: z.number().nullable() });
const deliveryResponseSchema = z.object({
  hours: z.number().int(),
  alertBelow: z.number(),
  shops: z.array(
    z.object({
      shop: z.string(),
      changes: z.number().int(),
      viaWebhook: z.number().int(),
      viaReconciler: z.number().int(),
      ratio: z.number().nullable(),
      alerting: z.boolean(),
      hours: z.array(hour),
    }),
  ),
});

@ApiTags('delivery')
@Controller('v1/delivery')
export class DeliveryController {
  constructor(private readonly reconciler: ReconcilerService) {}

  @Get()
  @ApiOperation({
    summary: 'End-to-end delivery ratio per shop and hour: changes Shopify made (seen by incremental reads), how many reached the module by webhook, how many only by the reconciler.',
  })
  @ApiOkResponse({ schema: openApiSchema(deliveryResponseSchema) })
  @ApiBadRequestResponse({ description: 'VALIDATION_FAILED: hours not an integer in 1…2160.' })
  delivery(@ValidQuery(deliveryQuerySchema) query: z.infer<typeof deliveryQuerySchema>) {
    return this.reconciler.delivery(query.hours);
  }
}
