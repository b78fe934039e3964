import { type Context, context, isSpanContextValid, propagation, ROOT_CONTEXT, trace, TraceFlags } from '@opentelemetry/api';
import { RandomIdGenerator } from '@opentelemetry/sdk-trace-base';

const ids = new RandomIdGenerator();

/**
 * The trace context a request to this service runs in, from its W3C
 * `traceparent` header (the caller's trace, continued) or, without one, a new
 * trace id. The span is this service's hop: never recorded, only identified,
 * so log lines carry `trace_id`/`span_id` and outgoing calls and Kafka
 * messages carry the trace on.
 *
 * This is what an incoming request costs when spans are not exported. When
 * they are, OpenTelemetry's http instrumentation has already made a real
 * server span active and the caller keeps it (see `hasActiveSpan`).
 */
export function incomingTraceContext(headers: Record<string, string | string[] | undefined>): Context {
  const remote = trace.getSpanContext(propagation.extract(ROOT_CONTEXT, headers));
  const valid = remote !== undefined && isSpanContextValid(remote);
  return trace.setSpanContext(ROOT_CONTEXT, {
    traceId: valid ? remote.traceId : ids.generateTraceId(),
    spanId: ids.generateSpanId(),
    traceFlags: valid ? remote.traceFlags : TraceFlags.NONE,
    isRemote: false,
  });
}

/** True when something (the http instrumentation) already made a span active. */
export function hasActiveSpan(): boolean {
  return trace.getSpan(context.active()) !== undefined;
}

/** Runs `work` with `traceContext` active, including everything asynchronous it starts. */
export function withTraceContext<T>(traceContext: Context, work: () => T): T {
  return context.with(traceContext, work);
}
