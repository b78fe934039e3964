// Fault scenarios wait on real restarts (a JVM broker, crash recovery, consumer rebalances).
/* global jest */
// On a machine at load average 20+ an app takes minutes to load; a stack start may too.
jest.setTimeout(600_000);
