// Integration tests wait on real servers (consumer-group rebalances, restarts).
/* global jest */
jest.setTimeout(120_000);
