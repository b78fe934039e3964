import { OutageLog } from './outage';

describe('OutageLog', () => {
  it('reports down once per outage and up once when it ends', () => {
    const events: string[] = [];
    const log = new OutageLog({ down: (error) => events.push(`down ${String(error)}`), up: (failures) => events.push(`up after ${failures}`) });
    log.succeeded();
    for (let i = 0; i < 1_500; i++) log.failed('Driver not Connected');
    expect(log.consecutiveFailures).toBe(1_500);
    log.succeeded();
    log.succeeded();
    log.failed('again');
    expect(events).toEqual(['down Driver not Connected', 'up after 1500', 'down again']);
    expect(log.isDown).toBe(true);
    expect(log.consecutiveFailures).toBe(1);
  });
});
