// Tracing lives at '@understudy/observability/tracing' so an app can start it
// before anything it instruments (pg, ioredis, kafkajs) is loaded.
export * from './logger';
export * from './metrics';
export * from './nest-logger';
export * from './observability.module';
export * from './trace-context';
