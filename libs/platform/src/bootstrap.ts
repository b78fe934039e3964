import type { IncomingMessage } from 'node:http';
import { type DynamicModule, type INestApplication, Module, type Type } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { FastifyAdapter, type NestFastifyApplication } from '@nestjs/platform-fastify';
import { DocumentBuilder, SwaggerModule, type OpenAPIObject } from '@nestjs/swagger';
import { createDataSource, runMigrations } from '@understudy/database';
import { installGracefulShutdown, Lifecycle } from '@understudy/health';
import { createLogger, createMetricsRegistry, hasActiveSpan, histogram, incomingTraceContext, PinoNestLogger, withTraceContext } from '@understudy/observability';
import type { Logger } from 'pino';
import type { Registry } from 'prom-client';
import { errorBody } from './api-error';
import { ErrorFilter } from './error.filter';
import { requestIdFrom } from './request-id';
import { type DeadlineConfig, httpTimeouts, withDeadlines } from './deadlines';
import { type ReadinessPolicy, type ServiceDependencies, ServiceModule } from './service.module';

export interface ServiceDefinition<C extends object> {
  /** App name, e.g. `gateway`: service label on logs, metrics and traces. */
  service: string;
  title: string;
  description: string;
  config: C & { PORT: number; HOST: string; LOG_LEVEL: string; SHUTDOWN_TIMEOUT_MS: number; SHUTDOWN_DRAIN_DELAY_MS: number } & DeadlineConfig;
  dependencies: ServiceDependencies;
  /** The app's feature modules. */
  imports: Array<Type<unknown> | DynamicModule>;
  /** Largest request body accepted, in bytes (413 above). */
  bodyLimit?: number;
  /**
   * JSON bodies reach handlers as the raw Buffer, unparsed: webhook signatures
   * are computed over the exact bytes, and parsing once, after verification, is cheaper.
   */
  rawBody?: boolean;
  /** Which dependencies readiness requires; by default all of them. */
  readiness?: ReadinessPolicy;
}

export interface RunningService {
  app: NestFastifyApplication;
  logger: Logger;
  metrics: Registry;
  lifecycle: Lifecycle;
  url: string;
  openApi: OpenAPIObject;
}

/**
 * Builds one Understudy HTTP service the same way for every app: Fastify,
 * JSON logs, `/metrics`, `/health/live|ready`, `/openapi.json`, one error
 * shape, request metrics, and (with `listen`) graceful shutdown on SIGTERM.
 */
export async function createService<C extends object>(definition: ServiceDefinition<C>): Promise<RunningService> {
  const { service, config } = definition;
  const logger = createLogger({ service, level: config.LOG_LEVEL });
  const metrics = createMetricsRegistry(service);
  const lifecycle = new Lifecycle();

  class ServiceRootModule {}
  Module({
    imports: [
      ServiceModule.forRoot({
        service,
        config,
        logger,
        metrics,
        lifecycle,
        dependencies: withDeadlines(definition.dependencies, config),
        readiness: definition.readiness,
      }),
      ...definition.imports,
    ],
  })(ServiceRootModule);

  const adapter = new FastifyAdapter({
    bodyLimit: definition.bodyLimit ?? 1024 * 1024,
    // A slow or stuck client cannot hold a socket forever (Fastify's defaults are 0: none).
    ...httpTimeouts(config),
    // Let keep-alive sockets close at shutdown instead of holding it open.
    forceCloseConnections: 'idle',
    // The client's x-request-id only when it is a plausible id (requestIdFrom); Fastify's own header reading would take anything.
    requestIdHeader: false,
    genReqId: (request: IncomingMessage) => requestIdFrom(request.headers['x-request-id']),
  });
  const app = await NestFactory.create<NestFastifyApplication>(ServiceRootModule, adapter, {
    logger: new PinoNestLogger(logger),
    abortOnError: false,
    bodyParser: !definition.rawBody,
  });
  if (definition.rawBody) {
    const fastify = app.getHttpAdapter().getInstance();
    // Fastify's built-in JSON parser matches by string before any regex parser: replace it.
    fastify.removeContentTypeParser('application/json');
    const keepBuffer = (_request: unknown, body: Buffer, done: (error: null, body: Buffer) => void) => done(null, body);
    fastify.addContentTypeParser('application/json', { parseAs: 'buffer' }, keepBuffer);
    fastify.addContentTypeParser(/^application\/[\w.+-]+\+json/i, { parseAs: 'buffer' }, keepBuffer);
  }
  app.useGlobalFilters(new ErrorFilter(logger));
  runRequestsInTheirTrace(app);
  recordRequestMetrics(app, metrics);
  acceptJsonOnly(app);
  closeConnectionsWhenShuttingDown(app, lifecycle);

  const openApi = openApiDocument(app, definition);
  app.getHttpAdapter().getInstance().get('/openapi.json', async () => openApi);

  await app.init();
  return { app, logger, metrics, lifecycle, url: '', openApi };
}

/**
 * The service's OpenAPI document. The request schemas come from zod as JSON
 * Schema 2020-12, which is OpenAPI 3.1's dialect (3.0 would reject keywords
 * such as a numeric `exclusiveMinimum`), so the document declares 3.1.0.
 */
function openApiDocument<C extends object>(app: INestApplication, definition: ServiceDefinition<C>): OpenAPIObject {
  const document = SwaggerModule.createDocument(
    app,
    new DocumentBuilder().setTitle(definition.title).setDescription(definition.description).setVersion('0.1.0').build(),
  );
  return { ...document, openapi: '3.1.0' };
}

/**
 * An app's entry point. `node main.js` creates the service, listens on
 * HOST:PORT and installs graceful shutdown; `node main.js --migrate` applies
 * the app's pending migrations and exits (npm start, the Nx `migrate` target
 * and the Helm pre-upgrade job all use this).
 */
export async function runService<C extends object>(definition: ServiceDefinition<C>): Promise<RunningService | undefined> {
  if (process.argv.includes('--migrate')) {
    process.exitCode = await migrate(definition);
    return undefined;
  }
  const running = await createService(definition);
  const { app, logger, lifecycle } = running;
  const { PORT, HOST, SHUTDOWN_TIMEOUT_MS, SHUTDOWN_DRAIN_DELAY_MS } = definition.config;
  await app.listen(PORT, HOST);
  running.url = `http://localhost:${PORT}`;
  installGracefulShutdown(lifecycle, {
    drainDelayMs: SHUTDOWN_DRAIN_DELAY_MS,
    timeoutMs: SHUTDOWN_TIMEOUT_MS,
    close: () => app.close(),
    log: (message, details) => logger.info(details ?? {}, message),
  });
  logger.info({ url: running.url }, `${definition.service} listening`);
  return running;
}

async function migrate<C extends object>(definition: ServiceDefinition<C>): Promise<number> {
  const logger = createLogger({ service: definition.service, level: definition.config.LOG_LEVEL });
  const postgres = definition.dependencies.postgres;
  if (!postgres) {
    logger.info('no database; nothing to migrate');
    return 0;
  }
  // A migration may rewrite a large table or wait for another replica's migration: no session deadlines.
  const dataSource = createDataSource({
    ...postgres,
    applicationName: `${definition.service}-migrate`,
    timeouts: { statementMs: 0, lockMs: 0, idleInTransactionMs: 0 },
  });
  try {
    await dataSource.initialize();
    const applied = await runMigrations(dataSource);
    logger.info({ applied }, applied.length ? `applied ${applied.length} migration(s)` : 'schema up to date');
    return 0;
  } catch (error) {
    logger.error({ err: error }, 'migration failed');
    return 1;
  } finally {
    if (dataSource.isInitialized) await dataSource.destroy();
  }
}

/**
 * Each request runs in its trace (the caller's, from `traceparent`, or a new
 * one), so its log lines, outgoing calls and Kafka messages carry it. First
 * hook registered, so everything after it — other hooks, body parsing, the
 * handler — runs inside. With spans exported, the http instrumentation has
 * already made a recorded server span active, and that one is kept.
 */
function runRequestsInTheirTrace(app: INestApplication): void {
  const fastify = (app as NestFastifyApplication).getHttpAdapter().getInstance();
  fastify.addHook('onRequest', (request, _reply, done) => {
    if (hasActiveSpan() || request.url.startsWith('/health') || request.url === '/metrics') return done();
    withTraceContext(incomingTraceContext(request.headers), done);
  });
}

/** The APIs speak JSON; a body in any other type is a 415, not a guess. */
function acceptJsonOnly(app: INestApplication): void {
  const fastify = (app as NestFastifyApplication).getHttpAdapter().getInstance();
  // Callback hooks, here and below: every request passes through them, and an async hook costs a promise each time.
  fastify.addHook('onRequest', (request, reply, done) => {
    const hasBody = request.headers['content-length'] !== undefined && request.headers['content-length'] !== '0';
    const type = request.headers['content-type'] ?? '';
    if ((hasBody || request.headers['transfer-encoding']) && !/^application\/([\w.+-]+\+)?json\b/i.test(type)) {
      // Answered here: the request goes no further (done is not called).
      void reply
        .status(415)
        .header('content-type', 'application/json; charset=utf-8')
        .send(errorBody('UNSUPPORTED_MEDIA_TYPE', `expected an application/json body, got ${JSON.stringify(type || 'none')}`));
      return;
    }
    done();
  });
}

/**
 * Once shutdown begins, answers carry `Connection: close` so keep-alive
 * clients reconnect elsewhere and the server can close as soon as in-flight
 * requests are done, instead of waiting out the keep-alive timeout.
 */
function closeConnectionsWhenShuttingDown(app: INestApplication, lifecycle: Lifecycle): void {
  const fastify = (app as NestFastifyApplication).getHttpAdapter().getInstance();
  fastify.addHook('onSend', (_request, reply, payload, done) => {
    if (lifecycle.isShuttingDown) reply.header('connection', 'close');
    done(null, payload);
  });
}

function recordRequestMetrics(app: INestApplication, metrics: Registry): void {
  const duration = histogram(metrics, 'understudy_http_request_duration_seconds', 'HTTP requests served, by route and status.', [
    'method',
    'route',
    'status',
  ]);
  const fastify = (app as NestFastifyApplication).getHttpAdapter().getInstance();
  fastify.addHook('onResponse', (request, reply, done) => {
    const route = request.routeOptions.url ?? 'unmatched';
    if (route !== '/metrics' && !route.startsWith('/health')) {
      duration.observe({ method: request.method, route, status: String(reply.statusCode) }, reply.elapsedTime / 1000);
    }
    done();
  });
}
