import { Controller, HttpCode, Post, Req } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiResponse, ApiTags } from '@nestjs/swagger';
import type { FastifyRequest } from 'fastify';
import { type IngestAnswer, IngestService } from './ingest.service';

@ApiTags('webhooks')
@Controller('webhooks')
export class WebhooksController {
  constructor(private readonly ingest: IngestService) {}

  @Post('shopify')
  @HttpCode(200)
  @ApiOperation({
    summary: 'Receive a Shopify webhook',
    description:
      'Verifies X-Shopify-Hmac-Sha256 over the raw body (any configured secret), validates the X-Shopify-* headers, ' +
      'deduplicates on X-Shopify-Event-Id (a retry repeats it, and so does a duplicate delivery) and answers only once the webhook is durable: acknowledged by Kafka, ' +
      'or committed to the PostgreSQL outbox while Kafka is unavailable.',
  })
  @ApiOkResponse({
    description:
      '`{"status":"accepted"}`, `{"status":"duplicate"}`, `{"status":"ignored"}` (a topic we do not consume) or `{"status":"stale"}` ' +
      "(triggered-at or the signed payload's updated_at older than WEBHOOK_MAX_AGE_SECONDS: a replay; acknowledged, never published).",
  })
  @ApiResponse({ status: 400, description: 'A required header is missing or invalid (named in the message), or the body is not a JSON object.' })
  @ApiResponse({ status: 401, description: 'Invalid signature or unknown shop. No detail is given.' })
  @ApiResponse({ status: 413, description: 'Body larger than WEBHOOK_MAX_BODY_BYTES.' })
  @ApiResponse({ status: 503, description: 'Neither Kafka nor PostgreSQL can take the webhook, or the same event is mid-delivery; Shopify retries.' })
  receive(@Req() request: FastifyRequest): Promise<IngestAnswer> {
    const body = Buffer.isBuffer(request.body) ? request.body : Buffer.alloc(0);
    return this.ingest.ingest(body, request.headers);
  }
}
