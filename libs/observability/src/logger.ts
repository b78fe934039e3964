import { trace } from '@opentelemetry/api';
import pino, { type Logger, type LoggerOptions } from 'pino';

/**
 * Structured JSON logs. Every line carries the service name and, inside a
 * traced operation, `trace_id`/`span_id`, so a log line leads to its trace.
 *
 * Secrets never reach the log: known secret-bearing keys are censored
 * wherever they appear (two levels deep, plus request/response headers),
 * and e-mail addresses are masked inside any string message.
 */
export const REDACTED = '[redacted]';

const SECRET_KEYS = [
  'password',
  'secret',
  'secrets',
  'token',
  'accessToken',
  'access_token',
  'apiKey',
  'api_key',
  'authorization',
  'cookie',
  'email',
  'DATABASE_URL',
  'ADMIN_TOKEN',
  'SHOPIFY_ACCESS_TOKEN',
  'SHOPIFY_WEBHOOK_SECRETS',
];

const HEADER_KEYS = ['authorization', 'cookie', 'set-cookie', 'x-shopify-access-token', 'x-shopify-hmac-sha256'];

export const REDACT_PATHS = [
  ...SECRET_KEYS,
  ...SECRET_KEYS.map((key) => `*.${key}`),
  ...SECRET_KEYS.map((key) => `*.*.${key}`),
  ...HEADER_KEYS.flatMap((key) => [`req.headers["${key}"]`, `res.headers["${key}"]`, `headers["${key}"]`]),
];

const EMAIL = /[A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+\.[A-Za-z]{2,}/g;

export function maskEmails(text: string): string {
  return text.replace(EMAIL, REDACTED);
}

export interface LoggerSettings {
  service: string;
  level?: string;
  /** Where lines go; stdout by default. Tests pass a stream to read them back. */
  destination?: pino.DestinationStream;
}

export function createLogger({ service, level = 'info', destination }: LoggerSettings): Logger {
  const options: LoggerOptions = {
    level,
    base: { service },
    messageKey: 'msg',
    timestamp: pino.stdTimeFunctions.isoTime,
    formatters: { level: (label) => ({ level: label }) },
    redact: { paths: REDACT_PATHS, censor: REDACTED },
    mixin() {
      const span = trace.getActiveSpan();
      if (!span) return {};
      const { traceId, spanId } = span.spanContext();
      return { trace_id: traceId, span_id: spanId };
    },
    hooks: {
      logMethod(args, method) {
        const masked = args.map((arg) => (typeof arg === 'string' ? maskEmails(arg) : arg));
        method.apply(this, masked as Parameters<typeof method>);
      },
    },
  };
  return destination ? pino(options, destination) : pino(options);
}
