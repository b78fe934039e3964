import { renderTable, replaceTable, type ScenarioResult } from './results';

const result: ScenarioResult = {
  id: 'kafka',
  title: 'Kafka broker killed',
  fault: 'SIGKILL',
  load: 'webhooks',
  phases: [
    { phase: 'healthy', attempts: 2, outcomes: { '200': 2 }, p50: 3.2, p99: 4.6, max: 4.6 },
    { phase: 'broker down', attempts: 3, outcomes: { '503': 1, '200': 2 }, p50: 1500, p99: 1600, max: 1600 },
    { phase: 'all', attempts: 5, outcomes: { '200': 4, '503': 1 }, p50: 4.6, p99: 1600, max: 1600 },
  ],
  accounting: { sent: 4, acknowledged: 4, lost: 0, appliedTwice: 0 },
  badInput: { sent: 2, outcomes: { '401': 1, '400': 1 } },
  seconds: 12,
};

describe('fault results', () => {
  it('renders one row per phase, with the accounting on the scenario’s first row', () => {
    expect(renderTable([result]).split('\n').slice(2)).toEqual([
      '| **Kafka broker killed** | healthy | 200×2 | 3 / 5 / 5 | 4 | 4 | 0 | 0 | 400×1, 401×1 |',
      '|  | broker down | 200×2, 503×1 | 1500 / 1600 / 1600 |  |  |  |  |  |',
    ]);
  });

  it('replaces only the text between the markers', () => {
    const doc = 'intro\n<!-- fault-table:begin (npm run test:faults, then npm run faults:doc) -->\nold\n<!-- fault-table:end -->\noutro\n';
    const updated = replaceTable(doc, 'TABLE', 'today');
    expect(updated).toBe('intro\n<!-- fault-table:begin (npm run test:faults, then npm run faults:doc) -->\n\n_Measured today._\n\nTABLE\n\n<!-- fault-table:end -->\noutro\n');
    expect(() => replaceTable('no markers', 'TABLE', 'today')).toThrow(/markers/);
  });
});
