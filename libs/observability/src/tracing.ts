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
 * OTEL_TRACES_SAMPLER variables); without it they are non-recording, which
 * costs far less on the hot path. No collector running is harmless: the batch
 * exporter drops what it cannot send.
 */
export function startTracing(serviceName: string, env: Record<string, string | undefined> = process.env): NodeSDK {
  const endpoint = env['OTEL_EXPORTER_OTLP_ENDPOINT'];
  const sdk = new NodeSDK({
    resource: resourceFromAttributes({ [ATTR_SERVICE_NAME]: serviceName }),
    ...(endpoint
      ? { traceExporter: new OTLPTraceExporter({ url: `${endpoint.replace(/\/$/, '')}/v1/traces` }) }
      : {
          // A processor must be present or NodeSDK registers no tracer provider at all, and every
          // span (and log line) carries the all-zero trace id.
          spanProcessors: [new NoopSpanProcessor()],
          sampler: new ParentBasedSampler({ root: new AlwaysOffSampler() }),
        }),
    instrumentations: [
      new HttpInstrumentation({
        // Probes and scrapes would drown real traces.
        ignoreIncomingRequestHook: (request) => /^\/(health|metrics)/.test(request.url ?? ''),
      }),
      new PgInstrumentation(),
      new IORedisInstrumentation(),
      new KafkaJsInstrumentation(),
    ],
  });
  sdk.start();
  return sdk;
}
