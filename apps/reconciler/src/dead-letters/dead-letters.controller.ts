import { Controller, Get, HttpCode, Inject, Post } from '@nestjs/common';
import { ApiBadRequestResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { APP_CONFIG } from '@understudy/config';
import { deadLetterTopic, EventPublisher, type Kafka, readDeadLetters, replayDeadLetters } from '@understudy/messaging';
import { ApiError, KAFKA, ValidBody, ValidQuery } from '@understudy/platform';
import { registryKafkaTopics } from '@understudy/shopify';
import { z } from 'zod';
import type { Config } from '../config';

const listSchema = z.object({ topic: z.string().min(1), limit: z.coerce.number().int().min(1).max(1_000).default(100) });
const replaySchema = z.strictObject({
  topic: z.string().min(1),
  limit: z.number().int().min(1).max(10_000).default(1_000),
  /** Only these messages (as listed); default every one read. */
  only: z.array(z.strictObject({ partition: z.number().int().min(0), offset: z.string().regex(/^\d{1,19}$/) })).min(1).max(10_000).optional(),
});

/**
 * Dead letters of the platform's topics: list them, and replay them to the
 * topic they came from once the cause is fixed (an operator's tool; the
 * consumers deduplicate on event ids, so a second replay has no effect).
 */
@ApiTags('dead-letters')
@Controller('v1/dead-letters')
export class DeadLettersController {
  private readonly topics: Set<string>;

  constructor(
    @Inject(KAFKA) private readonly kafka: Kafka,
    private readonly publisher: EventPublisher,
    @Inject(APP_CONFIG) config: Config,
  ) {
    this.topics = new Set(registryKafkaTopics().map((topic) => deadLetterTopic(`${config.KAFKA_TOPIC_PREFIX}${topic}`)));
  }

  @Get()
  @ApiOperation({ summary: 'The messages of a dead-letter topic (`<topic>.dlq`), with the reason each was dead-lettered.' })
  @ApiOkResponse({ description: '{topic, total, messages: [{partition, offset, key, reason, originalTopic, failedAt, value}]}' })
  @ApiBadRequestResponse({ description: 'VALIDATION_FAILED, or UNKNOWN_TOPIC: not a dead-letter topic of the platform.' })
  async list(@ValidQuery(listSchema) query: z.infer<typeof listSchema>) {
    const { total, messages } = await readDeadLetters(this.kafka, this.known(query.topic), query.limit);
    return { topic: query.topic, total, messages };
  }

  @Post('replay')
  @HttpCode(200)
  @ApiOperation({ summary: 'Publish dead letters back to their original topic; the result of each message.' })
  @ApiOkResponse({ description: '{topic, total, results: [{partition, offset, target, result: replayed|failed, error?}]}' })
  @ApiBadRequestResponse({ description: 'VALIDATION_FAILED, or UNKNOWN_TOPIC.' })
  async replay(@ValidBody(replaySchema) body: z.infer<typeof replaySchema>) {
    const { total, results } = await replayDeadLetters(this.kafka, this.publisher, this.known(body.topic), { limit: body.limit, ...(body.only ? { only: body.only } : {}) });
    return { topic: body.topic, total, results };
  }

  private known(topic: string): string {
    if (!this.topics.has(topic)) throw new ApiError(400, 'UNKNOWN_TOPIC', `${topic} is not a dead-letter topic of the platform`, { known: [...this.topics] });
    return topic;
  }
}
