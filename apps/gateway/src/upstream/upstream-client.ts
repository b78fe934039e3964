import { context, propagation, type Span, SpanKind, SpanStatusCode, trace } from '@opentelemetry/api';
import { type Dispatcher, Pool } from 'undici';

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

  call(options: CallOptions): Promise<CallResult> {
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
    return new Promise<CallResult>((resolve) => {
      const exchange = new Exchange(options, started, span, resolve);
      // The deadline is ours alone (connect to last byte, queueing for a connection included): undici's own
      // header and body timers would only duplicate it, at two more timers per call.
      this.pool.dispatch({ method: options.method, path: options.path, headers, body: options.body, headersTimeout: 0, bodyTimeout: 0 }, exchange);
    });
  }

  close(): Promise<void> {
    return this.pool.close();
  }
}

/**
 * One call as an undici dispatch handler: the answer's chunks are kept as they
 * arrive, under the byte cap, and the call settles exactly once — on the last
 * byte, an error, the cap or the deadline, whichever comes first. The handler
 * API rather than `pool.request`: no AbortController, no body stream, no
 * promise per layer, on every primary and shadow call (measured in
 * docs/performance.md, "The gateway's hop").
 */
class Exchange implements Dispatcher.DispatchHandler {
  private readonly timer: NodeJS.Timeout;
  private abortCall: ((reason?: Error) => void) | undefined;
  private settled = false;
  private status = 0;
  private contentType: string | undefined;
  private replayed = false;
  private readonly chunks: Buffer[] = [];
  private size = 0;

  constructor(
    private readonly options: CallOptions,
    private readonly started: number,
    private readonly span: Span | undefined,
    private readonly resolve: (result: CallResult) => void,
  ) {
    this.timer = setTimeout(onDeadline, options.timeoutMs, this);
  }

  onConnect(abort: (reason?: Error) => void): void {
    // Past the deadline while queued for a connection: never sent.
    if (this.settled) abort(new Error('deadline passed'));
    else this.abortCall = abort;
  }

  onHeaders(statusCode: number, rawHeaders: Buffer[] | string[] | null): boolean {
    // Called again after a 1xx: only the final answer's headers count.
    this.status = statusCode;
    this.contentType = undefined;
    this.replayed = false;
    if (rawHeaders) {
      for (let i = 0; i + 1 < rawHeaders.length; i += 2) {
        const name = rawHeaders[i]!;
        // Only two headers matter; their lengths rule out nearly every other name without decoding it.
        if (name.length === 12 && name.toString().toLowerCase() === 'content-type') this.contentType ??= rawHeaders[i + 1]!.toString();
        else if (name.length === 19 && name.toString().toLowerCase() === 'idempotent-replayed') this.replayed = rawHeaders[i + 1]!.toString() === 'true';
      }
    }
    return true;
  }

  onData(chunk: Buffer): boolean {
    if (this.settled) return false;
    this.size += chunk.length;
    if (this.size > this.options.maxBodyBytes) {
      // The rest is not read: the connection is dropped.
      this.fail('too_large', `answer over ${this.options.maxBodyBytes} bytes`, true);
      this.abortCall?.(new Error('answer too large'));
      return false;
    }
    this.chunks.push(chunk);
    return true;
  }

  onComplete(): void {
    if (this.settled) return;
    this.settled = true;
    clearTimeout(this.timer);
    const { span, status } = this;
    if (span) {
      span.setAttribute('http.response.status_code', status);
      if (status >= 500) span.setStatus({ code: SpanStatusCode.ERROR });
      span.end();
    }
    const body = this.chunks.length === 1 ? this.chunks[0]! : Buffer.concat(this.chunks, this.size);
    this.resolve({ kind: 'response', status, body, contentType: this.contentType, replayed: this.replayed, ms: performance.now() - this.started });
  }

  onError(error: Error): void {
    if (this.settled) return;
    const code = (error as { code?: string }).code;
    const reached = code === undefined || !NEVER_SENT.has(code);
    if (code === 'UND_ERR_CONNECT_TIMEOUT') this.fail('timeout', code, reached);
    else this.fail('error', code ?? error.message, reached);
  }

  /** The deadline: settle now as a timeout, and stop the request wherever it is (queued, sent, half-read). */
  deadline(): void {
    if (this.settled) return;
    // Our own deadline may fire after the request was written: count it as reached.
    this.fail('timeout', `no answer within ${this.options.timeoutMs} ms`, true);
    this.abortCall?.(new Error('deadline passed'));
  }

  private fail(failure: FailedCall['failure'], detail: string, reached: boolean): void {
    this.settled = true;
    clearTimeout(this.timer);
    this.span?.setStatus({ code: SpanStatusCode.ERROR, message: detail });
    this.span?.end();
    this.resolve({ kind: 'failed', failure, detail, reached, ms: performance.now() - this.started });
  }
}

function onDeadline(exchange: Exchange): void {
  exchange.deadline();
}
