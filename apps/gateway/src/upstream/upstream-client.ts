import type { Readable } from 'node:stream';
import { context, propagation, type Span, SpanKind, SpanStatusCode, trace } from '@opentelemetry/api';
import { Pool } from 'undici';

/** One upstream answer, or why there is none. Never thrown: callers branch on `kind`. */
export type CallResult = UpstreamResponse | FailedCall;

export interface UpstreamResponse {
  readonly kind: 'response';
  readonly status: number;
  readonly body: Buffer;
  readonly contentType: string | undefined;
  /** Response headers worth relaying (`idempotent-replayed`). */
  readonly replayed: boolean;
  readonly ms: number;
}

export interface FailedCall {
  readonly kind: 'failed';
  /** `open`: the circuit breaker refused the call; `too_large`: the answer exceeded the byte cap. */
  readonly failure: 'error' | 'timeout' | 'open' | 'too_large';
  readonly detail: string;
  /**
   * Whether the request may have reached the upstream. False only when it
   * certainly did not (connection refused or never established, DNS, an open
   * breaker): only then may a write be retried elsewhere without risking it
   * being applied twice.
   */
  readonly reached: boolean;
  readonly ms: number;
}

export interface CallOptions {
  readonly method: 'POST';
  readonly path: string;
  readonly headers: Record<string, string>;
  readonly body: string;
  /** Whole call, connect to last byte; the request is aborted when it passes. */
  readonly timeoutMs: number;
  /** Bytes of body read at most; past it the call fails with `too_large` and the connection is dropped. */
  readonly maxBodyBytes: number;
  /** Span name suffix and attribute, e.g. `monolith`. */
  readonly upstream: string;
}

/** An upstream answer counts as a failure (breaker, fallback, comparison) when it is a 5xx. */
export function isFailure(result: CallResult): boolean {
  return result.kind === 'failed' || result.status >= 500;
}

const tracer = trace.getTracer('understudy-gateway');

/** Errors raised before any byte of the request left: no connection was ever made. */
const NEVER_SENT = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'EHOSTUNREACH', 'ENETUNREACH', 'UND_ERR_CONNECT_TIMEOUT']);

/**
 * Pooled keep-alive HTTP to one upstream origin (undici Pool: a bounded set
 * of connections, requests queue for a free one), with a hard deadline per
 * call, a cap on the bytes read, and W3C trace context propagated from the
 * active span (OpenTelemetry's http instrumentation does not see undici, so
 * the gateway injects `traceparent` itself).
 *
 * A client span is made only when the request's own span is recording (an
 * exporter is configured and the trace is sampled): otherwise the span would
 * be dropped anyway, and building it — ids, attributes, a new context — was
 * about 4 % of the gateway's CPU per shadowed request; the upstream then gets
 * the request's trace context as it is (same trace id and sampling flag).
 */
export class UpstreamClient {
  private readonly pool: Pool;

  constructor(
    readonly origin: string,
    options: { connections: number },
  ) {
    this.pool = new Pool(origin, {
      connections: options.connections,
      pipelining: 1,
      keepAliveTimeout: 30_000,
      keepAliveMaxTimeout: 60_000,
      connect: { timeout: 2_000 },
    });
  }

  async call(options: CallOptions): Promise<CallResult> {
    const started = performance.now();
    const active = context.active();
    const span =
      trace.getSpan(active)?.isRecording() === true
        ? tracer.startSpan(
            `POST ${options.upstream}`,
            { kind: SpanKind.CLIENT, attributes: { 'http.request.method': 'POST', 'url.path': options.path, 'understudy.upstream': options.upstream } },
            active,
          )
        : undefined;
    const headers: Record<string, string> = { ...options.headers };
    propagation.inject(span ? trace.setSpan(active, span) : active, headers);
    const abort = new AbortController();
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      abort.abort();
    }, options.timeoutMs);
    try {
      const response = await this.pool.request({
        method: options.method,
        path: options.path,
        headers,
        body: options.body,
        signal: abort.signal,
        headersTimeout: options.timeoutMs,
        bodyTimeout: options.timeoutMs,
      });
      const body = await readCapped(response.body, options.maxBodyBytes);
      if (body === undefined) return this.failed(span, 'too_large', `answer over ${options.maxBodyBytes} bytes`, started);
      if (span) {
        span.setAttribute('http.response.status_code', response.statusCode);
        if (response.statusCode >= 500) span.setStatus({ code: SpanStatusCode.ERROR });
        span.end();
      }
      const contentType = response.headers['content-type'];
      return {
        kind: 'response',
        status: response.statusCode,
        body,
        contentType: Array.isArray(contentType) ? contentType[0] : contentType,
        replayed: response.headers['idempotent-replayed'] === 'true',
        ms: performance.now() - started,
      };
    } catch (error) {
      // Our own deadline may fire after the request was written: count it as reached.
      if (timedOut) return this.failed(span, 'timeout', `no answer within ${options.timeoutMs} ms`, started);
      const code = (error as { code?: string }).code;
      const reached = code === undefined || !NEVER_SENT.has(code);
      if (code === 'UND_ERR_HEADERS_TIMEOUT' || code === 'UND_ERR_BODY_TIMEOUT' || code === 'UND_ERR_CONNECT_TIMEOUT') {
        return this.failed(span, 'timeout', code, started, reached);
      }
      return this.failed(span, 'error', code ?? (error instanceof Error ? error.message : String(error)), started, reached);
    } finally {
      clearTimeout(timer);
    }
  }

  close(): Promise<void> {
    return this.pool.close();
  }

  private failed(span: Span | undefined, failure: FailedCall['failure'], detail: string, started: number, reached = true): FailedCall {
    span?.setStatus({ code: SpanStatusCode.ERROR, message: detail });
    span?.end();
    return { kind: 'failed', failure, detail, reached, ms: performance.now() - started };
  }
}

/**
 * The whole body, or undefined (and the stream destroyed, so the connection is
 * dropped) once it passes `maxBytes`. Listeners rather than `for await`: an
 * async iterator costs a generator and a promise per chunk, on every call.
 */
function readCapped(body: Readable, maxBytes: number): Promise<Buffer | undefined> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    body.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > maxBytes) {
        body.destroy();
        resolve(undefined);
        return;
      }
      chunks.push(chunk);
    });
    body.once('end', () => resolve(chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks, size)));
    body.once('error', reject);
  });
}
