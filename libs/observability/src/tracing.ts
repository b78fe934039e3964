import { NodeSDK } from '@opentelemetry/sdk-node';
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-http';
import { HttpInstrumentation } from '@opentelemetry/instrumentation-http';
import { PgInstrumentation } from '@opentelemetry/instrumentation-pg';
import { IORedisInstrumentation } from '@opentelemetry/instrumentation-ioredis';
import { KafkaJsInstrumentation } from '@opentelemetry/instrumentation-kafkajs';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { AlwaysOffSampler, NoopSpanProcessor, ParentBasedSampler } from '@opentelemetry/sdk-trace-base';
import { ATTR_SERVICE_NAME } from '@opentelemetry/semantic-conventions';

/**
 * Starts OpenTelemetry before anything it instruments is loaded, so call it
 * from an app's `instrument.ts`, imported first by `main.ts`.
 *
 * Trace context is always created and propagated (log lines get trace ids,
 * context crosses HTTP and Kafka). Spans are recorded and exported only when
 * OTEL_EXPORTER_OTLP_ENDPOINT is set (sampling then follows the standard
 * OTEL_TRACES_SAMPLER variables), with http, pg, ioredis and kafkajs
 * instrumented; without it nothing is recorded and only kafkajs is (outgoing
 * calls made with node's http no longer get a traceparent then; the gateway
 * injects its own). No collector running is harmless: the batch exporter
 * drops what it cannot send. OTEL_SDK_DISABLED=true turns it all off.
 */
export function startTracing(serviceName: string, env: Record<string, string | undefined> = process.env): NodeSDK | undefined {
  // OpenTelemetry's own off switch. Checked before NodeSDK exists: its constructor already
  // patches http, pg and the rest, so a disabled SDK would still cost every request.
  if (env['OTEL_SDK_DISABLED']?.trim().toLowerCase() === 'true') return undefined;
  const endpoint = env['OTEL_EXPORTER_OTLP_ENDPOINT'];
  const sdk = new NodeSDK({
    resource: resourceFromAttributes({ [ATTR_SERVICE_NAME]: serviceName }),
    // Traces only. Metrics are prom-client's (/metrics) and logs are pino's (stdout): left to its
    // defaults, NodeSDK would also record every instrumented call into OTel metrics (a measurable
    // share of a request's CPU) and push metrics and logs to an OTLP collector that isn't there.
    metricReaders: [],
    logRecordProcessors: [],
    ...(endpoint
      ? { traceExporter: new OTLPTraceExporter({ url: `${endpoint.replace(/\/$/, '')}/v1/traces` }) }
      : {
          // A processor must be present or NodeSDK registers no tracer provider at all, and every
          // span (and log line) carries the all-zero trace id.
          spanProcessors: [new NoopSpanProcessor()],
          sampler: new ParentBasedSampler({ root: new AlwaysOffSampler() }),
        }),
    // Without an exporter nothing is recorded, so only what carries context is instrumented:
    // kafkajs (trace context in message headers). Incoming HTTP requests get their context from
    // a Fastify hook (libs/platform, incomingTraceContext); per-call spans for http, pg and
    // ioredis would only cost the hot path (measured on the inventory check at 2,000/s: about 97–98 %
    // of checks within 2 ms with them, about 99 % without; docs/performance.md).
    instrumentations: endpoint
      ? [
          new HttpInstrumentation({
            // Probes and scrapes would drown real traces.
            ignoreIncomingRequestHook: (request) => /^\/(health|metrics)/.test(request.url ?? ''),
          }),
          new PgInstrumentation(),
          new IORedisInstrumentation(),
          new KafkaJsInstrumentation(),
        ]
      : [new KafkaJsInstrumentation()],
  });
  sdk.start();
  return sdk;
}
