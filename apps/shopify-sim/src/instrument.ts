// Loaded before anything else so OpenTelemetry can patch http, pg, ioredis and kafkajs as they load.
import { startTracing } from '@understudy/observability/tracing';

startTracing('shopify-sim');
