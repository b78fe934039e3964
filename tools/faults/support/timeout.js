// Fault scenarios wait on real restarts (a JVM broker, crash recovery, consumer rebalances).
/* global jest */
jest.setTimeout(300_000);
