import { Writable } from 'node:stream';
import { context, trace } from '@opentelemetry/api';
import { BasicTracerProvider } from '@opentelemetry/sdk-trace-base';
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks';
import { createLogger, maskEmails, REDACTED } from './logger';

function capture() {
  const lines: Record<string, unknown>[] = [];
  const destination = new Writable({
    write(chunk, _encoding, done) {
      lines.push(JSON.parse(String(chunk)));
      done();
    },
  });
  return { lines, logger: createLogger({ service: 'test', level: 'debug', destination }) };
}

const flush = () => new Promise((resolve) => setImmediate(resolve));

describe('createLogger', () => {
  it('writes JSON with the service name and level label', async () => {
    const { lines, logger } = capture();
    logger.info({ route: 'inventory.check' }, 'hello');
    await flush();
    expect(lines[0]).toMatchObject({ service: 'test', level: 'info', msg: 'hello', route: 'inventory.check' });
  });

  it('redacts secrets, tokens, authorization headers and emails by key', async () => {
    const { lines, logger } = capture();
    logger.info({
      password: 'p',
      config: { ADMIN_TOKEN: 'admin', nested: { secret: 's' } },
      req: { headers: { authorization: 'Bearer abc', 'x-shopify-access-token': 'shpat', accept: 'json' } },
      customer: { email: 'ada@example.com', name: 'Ada' },
    });
    await flush();
    const line = JSON.stringify(lines[0]);
    for (const secret of ['"p"', 'admin', '"s"', 'Bearer abc', 'shpat', 'ada@example.com']) {
      expect(line).not.toContain(secret);
    }
    expect(lines[0]).toMatchObject({
      req: { headers: { authorization: REDACTED, accept: 'json' } },
      customer: { email: REDACTED, name: 'Ada' },
    });
  });

  it('masks e-mail addresses inside messages', async () => {
    const { lines, logger } = capture();
    logger.warn('order for ada.lovelace+shop@example.co.uk failed');
    await flush();
    expect(lines[0]?.['msg']).toBe(`order for ${REDACTED} failed`);
    expect(maskEmails('no address here')).toBe('no address here');
  });

  it('adds trace and span ids inside an active span', async () => {
    const contextManager = new AsyncLocalStorageContextManager().enable();
    context.setGlobalContextManager(contextManager);
    const tracer = new BasicTracerProvider().getTracer('test');
    const { lines, logger } = capture();
    const span = tracer.startSpan('work');
    context.with(trace.setSpan(context.active(), span), () => logger.info('inside'));
    logger.info('outside');
    span.end();
    await flush();
    expect(lines[0]?.['trace_id']).toBe(span.spanContext().traceId);
    expect(lines[1]?.['trace_id']).toBeUndefined();
    context.disable();
  });
});
