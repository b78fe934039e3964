import { metrics, trace } from '@opentelemetry/api';
import { startTracing } from './tracing';

describe('startTracing', () => {
  it('does nothing at all with OTEL_SDK_DISABLED=true', () => {
    expect(startTracing('test', { OTEL_SDK_DISABLED: 'true' })).toBeUndefined();
    expect(trace.getTracer('test').startSpan('x').spanContext().traceId).toBe('00000000000000000000000000000000');
  });

  describe('without an OTLP endpoint', () => {
    let sdk: ReturnType<typeof startTracing>;
    beforeAll(() => {
      sdk = startTracing('test', {});
    });
    afterAll(async () => {
      await sdk?.shutdown();
    });

    it('creates real trace ids (for log correlation and propagation) on spans it does not record', () => {
      const span = trace.getTracer('test').startSpan('x');
      expect(span.spanContext().traceId).toMatch(/^(?!0+$)[0-9a-f]{32}$/);
      expect(span.isRecording()).toBe(false);
      span.end();
    });

    it('registers no OpenTelemetry metrics pipeline (prom-client owns metrics)', () => {
      // Left to NodeSDK's defaults, every instrumented call would also be recorded here and pushed nowhere.
      expect(metrics.getMeterProvider().constructor.name).toBe('NoopMeterProvider');
    });
  });
});
