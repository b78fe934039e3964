// Integration tests wait on real servers (consumer-group rebalances, restarts), and on a busy
// machine an app takes tens of seconds just to load: deadlines, not measurements.
/* global jest */
jest.setTimeout(300_000);
