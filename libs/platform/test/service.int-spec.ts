import { Controller, Get, Inject, Module, Optional, Param, Post } from '@nestjs/common';
import type { DataSource } from '@understudy/database';
import { trace } from '@opentelemetry/api';
import { startTracing } from '@understudy/observability/tracing';
import { createTestDatabase, RedisServer, testEnv, type TestDatabase, waitFor } from '@understudy/testing';
import { z } from 'zod';
import { ApiError, createService, DATA_SOURCE, type RunningService, ValidBody } from '../src';

const orderSchema = z.object({ sku: z.string().min(1), quantity: z.number().int().positive() });

@Controller('probe')
class ProbeController {
  constructor(@Optional() @Inject(DATA_SOURCE) private readonly dataSource?: DataSource) {}

  /** Hands the raw value to PostgreSQL, as a contract with a validation gap would. */
  @Get('sql/:kind/:value')
  async sql(@Param('kind') kind: string, @Param('value') value: string) {
    if (kind === 'int8') return this.dataSource!.query('SELECT $1::int8 AS v', [value]);
    if (kind === 'unique') {
      await this.dataSource!.query('CREATE TABLE IF NOT EXISTS probe_unique (v text PRIMARY KEY)');
      return this.dataSource!.query('INSERT INTO probe_unique VALUES ($1)', [value]);
    }
    return this.dataSource!.query('SELECT broken syntax here', [value]);
  }

  @Post('orders')
  create(@ValidBody(orderSchema) order: z.infer<typeof orderSchema>) {
    return { accepted: order };
  }

  @Get('conflict')
  conflict(): never {
    throw new ApiError(409, 'INSUFFICIENT_INVENTORY', 'not enough stock', { short: ['sku-1'] });
  }

  @Get('bug')
  bug(): never {
    throw new Error('secret internal detail');
  }

  @Get('trace')
  activeTrace() {
    return trace.getActiveSpan()?.spanContext() ?? null;
  }

  @Post('trace')
  async activeTraceAfterBodyAndAwait(@ValidBody(orderSchema) _order: z.infer<typeof orderSchema>) {
    await new Promise((resolve) => setTimeout(resolve, 5));
    return trace.getActiveSpan()?.spanContext() ?? null;
  }

  @Get('slow')
  async slow() {
    await new Promise((resolve) => setTimeout(resolve, 400));
    return { done: true };
  }
}

@Module({ controllers: [ProbeController] })
class ProbeModule {}

const baseConfig = { PORT: 0, HOST: '127.0.0.1', LOG_LEVEL: 'silent', SHUTDOWN_TIMEOUT_MS: 5_000, SHUTDOWN_DRAIN_DELAY_MS: 0 };

// As every app's instrument.ts does (no OTLP endpoint: context propagated, nothing recorded).
const tracing = startTracing('platform-it', {});

describe('a service built by createService, on real PostgreSQL, Redis and Kafka', () => {
  let redis: RedisServer;
  let database: TestDatabase;
  let service: RunningService;

  const request = (method: 'GET' | 'POST', url: string, payload?: string, headers: Record<string, string> = {}) =>
    service.app.getHttpAdapter().getInstance().inject({ method, url, payload, headers: { 'content-type': 'application/json', ...headers } });

  beforeAll(async () => {
    redis = await RedisServer.start();
    database = await createTestDatabase('platform');
    service = await createService({
      service: 'platform-it',
      title: 'test',
      description: 'test',
      config: baseConfig,
      dependencies: {
        postgres: { url: database.url, migrations: [] },
        redis: { url: redis.url },
        kafka: { brokers: testEnv().kafkaBrokers },
      },
      imports: [ProbeModule],
    });
  });

  afterAll(async () => {
    await tracing?.shutdown();
    await service?.app.close();
    await redis?.stop();
    await database?.drop();
  });

  it('is ready once PostgreSQL, Redis and Kafka all answer', async () => {
    const response = await waitFor(
      async () => {
        const r = await request('GET', '/health/ready');
        return r.statusCode === 200 ? r : undefined;
      },
      { timeoutMs: 20_000, what: 'readiness' },
    );
    expect(response.json()).toMatchObject({
      status: 'ok',
      info: { postgres: { status: 'up' }, redis: { status: 'up' }, kafka: { status: 'up' } },
    });
  });

  it('turns readiness 503, naming redis, while Redis is stopped, and 200 again when it returns', async () => {
    await redis.stop();
    const down = await waitFor(
      async () => {
        const r = await request('GET', '/health/ready');
        return r.statusCode === 503 ? r : undefined;
      },
      { timeoutMs: 10_000, what: 'readiness to fail' },
    );
    // Named among the failing checks: on a busy machine another probe (Kafka's metadata call) can miss its 2 s deadline at the same moment.
    expect(down.json()).toMatchObject({ error: { code: 'NOT_READY', message: expect.stringMatching(/^not ready: (.+, )?redis(, .+)? down$/) } });
    expect((await request('GET', '/health/live')).statusCode).toBe(200);

    await redis.start();
    await waitFor(async () => (await request('GET', '/health/ready')).statusCode === 200, {
      timeoutMs: 15_000,
      what: 'readiness to recover',
    });
  });

  it('answers bad input with 4xx and the one error shape, never a 500', async () => {
    const invalid = await request('POST', '/probe/orders', JSON.stringify({ sku: '', quantity: 1.5 }));
    expect(invalid.statusCode).toBe(400);
    expect(invalid.json()).toMatchObject({
      error: {
        code: 'VALIDATION_FAILED',
        details: { issues: expect.arrayContaining([expect.objectContaining({ path: 'sku' }), expect.objectContaining({ path: 'quantity' })]) },
      },
    });

    const malformed = await request('POST', '/probe/orders', '{"sku": ');
    expect(malformed.statusCode).toBe(400);
    expect(malformed.json().error.code).toBe('BAD_REQUEST');

    const tooLarge = await request('POST', '/probe/orders', JSON.stringify({ sku: 'x'.repeat(2 * 1024 * 1024), quantity: 1 }));
    expect(tooLarge.statusCode).toBe(413);
    expect(tooLarge.json().error.code).toBe('PAYLOAD_TOO_LARGE');

    const wrongType = await request('POST', '/probe/orders', 'sku=1', { 'content-type': 'application/x-www-form-urlencoded' });
    expect(wrongType.statusCode).toBe(415);

    const missing = await request('GET', '/nowhere');
    expect(missing.statusCode).toBe(404);
    expect(missing.json().error.code).toBe('NOT_FOUND');

    const ok = await request('POST', '/probe/orders', JSON.stringify({ sku: 'sku-1', quantity: 2 }));
    expect(ok.statusCode).toBe(201);
    expect(ok.json()).toEqual({ accepted: { sku: 'sku-1', quantity: 2 } });
  });

  it('keeps domain errors and hides internal ones', async () => {
    const conflict = await request('GET', '/probe/conflict');
    expect(conflict.statusCode).toBe(409);
    expect(conflict.json()).toEqual({ error: { code: 'INSUFFICIENT_INVENTORY', message: 'not enough stock', details: { short: ['sku-1'] } } });

    const bug = await request('GET', '/probe/bug');
    expect(bug.statusCode).toBe(500);
    expect(bug.json()).toEqual({ error: { code: 'INTERNAL', message: 'internal error' } });
    expect(bug.body).not.toContain('secret');
  });

  it('answers a value PostgreSQL refuses with 4xx, naming only the SQLSTATE; a broken statement stays a 500', async () => {
    // 22003 numeric value out of range (an id past int8), 22P02 invalid text representation.
    for (const value of ['99999999999999999999', 'not-a-number']) {
      const refused = await request('GET', `/probe/sql/int8/${value}`);
      expect({ status: refused.statusCode, body: refused.json() }).toEqual({
        status: 400,
        body: { error: { code: 'INVALID_VALUE', message: expect.any(String), details: { sqlState: expect.stringMatching(/^22/) } } },
      });
      expect(refused.body).not.toContain('bigint');
    }
    expect((await request('GET', '/probe/sql/int8/42')).statusCode).toBe(200);

    expect((await request('GET', '/probe/sql/unique/a')).statusCode).toBe(200);
    const duplicate = await request('GET', '/probe/sql/unique/a');
    expect({ status: duplicate.statusCode, code: duplicate.json().error.code }).toEqual({ status: 409, code: 'CONFLICT' });

    // 42601 syntax error: a bug, not the client's input.
    expect((await request('GET', '/probe/sql/other/1')).statusCode).toBe(500);
  });

  it("runs each request in its caller's trace, or a new one, through body parsing and awaits", async () => {
    const traceId = '4bf92f3577b34da6a3ce929d0e0e4736';
    const traceparent = `00-${traceId}-00f067aa0ba902b7-01`;
    const continued = (await request('GET', '/probe/trace', undefined, { traceparent })).json();
    expect(continued).toMatchObject({ traceId, traceFlags: 1 });
    expect(continued.spanId).toMatch(/^[0-9a-f]{16}$/);
    expect(continued.spanId).not.toBe('00f067aa0ba902b7');

    const afterBody = (await request('POST', '/probe/trace', JSON.stringify({ sku: 'a', quantity: 1 }), { traceparent })).json();
    expect(afterBody.traceId).toBe(traceId);

    const fresh = [(await request('GET', '/probe/trace')).json(), (await request('GET', '/probe/trace', undefined, { traceparent: 'garbage' })).json()];
    for (const context of fresh) expect(context.traceId).toMatch(/^(?!0+$)[0-9a-f]{32}$/);
    expect(fresh[0].traceId).not.toBe(fresh[1].traceId);
    expect(fresh[0].traceFlags).toBe(0);
  });

  it('serves its OpenAPI document with the validated request schema, and Prometheus metrics', async () => {
    const openApi = (await request('GET', '/openapi.json')).json();
    expect(openApi.paths['/probe/orders'].post.requestBody.content['application/json'].schema).toMatchObject({
      type: 'object',
      required: ['sku', 'quantity'],
    });
    expect(openApi.paths['/health/ready']).toBeDefined();

    const metrics = await request('GET', '/metrics');
    expect(metrics.headers['content-type']).toContain('text/plain');
    expect(metrics.body).toContain('process_cpu_user_seconds_total{service="platform-it"}');
    expect(metrics.body).toMatch(/understudy_http_request_duration_seconds_count\{.*route="\/probe\/orders".*status="201"/);
  });
});

describe('graceful shutdown', () => {
  it('reports not-ready once shutdown begins and lets in-flight requests finish', async () => {
    const service = await createService({
      service: 'shutdown-it',
      title: 'test',
      description: 'test',
      config: baseConfig,
      dependencies: {},
      imports: [ProbeModule],
    });
    await service.app.listen(0, '127.0.0.1');
    const url = await service.app.getUrl();

    const inFlight = fetch(`${url}/probe/slow`).then(async (r) => ({ status: r.status, body: await r.json() }));
    await new Promise((resolve) => setTimeout(resolve, 50));
    service.lifecycle.beginShutdown();
    const ready = await fetch(`${url}/health/ready`);
    expect(ready.status).toBe(503);

    await service.app.close();
    await expect(inFlight).resolves.toEqual({ status: 200, body: { done: true } });
    await expect(fetch(`${url}/health/live`)).rejects.toThrow();
  });
});
