// eslint-disable-next-line @typescript-eslint/no-require-imports
const { renderTable, withTable, START, END } = require('./can-i-deploy') as {
  renderTable: (pacts: unknown[]) => string;
  withTable: (doc: string, table: string) => string;
  START: string;
  END: string;
};

const pact = (consumer: string, provider: string, interactions: unknown[]) => ({ file: `${consumer}-${provider}.json`, pact: { consumer: { name: consumer }, provider: { name: provider }, interactions } });

describe('can-i-deploy table', () => {
  const pacts = [
    pact('gateway', 'pricing', [{ type: 'Synchronous/HTTP', description: 'a quote', request: { method: 'POST', path: '/v1/quotes' }, response: { status: 200 }, providerStates: [{ name: 'variant 1 costs 2' }] }]),
    pact('inventory', 'events', [{ type: 'Asynchronous/Messages', description: 'event a|b' }, { type: 'Asynchronous/Messages', description: 'event c' }]),
  ];

  it('one row per consumer–provider pair, by provider, naming each interaction and its states', () => {
    const table = renderTable(pacts);
    expect(table).toContain('| `events` | `inventory` | [`pacts/inventory-events.json`](../pacts/inventory-events.json) | 2: message “event a\\|b”<br>message “event c” |');
    expect(table).toContain('| `pricing` | `gateway` | [`pacts/gateway-pricing.json`](../pacts/gateway-pricing.json) | 1: `POST /v1/quotes` → 200: a quote (given “variant 1 costs 2”) |');
    expect(table.indexOf('`events`')).toBeLessThan(table.indexOf('`pricing`'));
    expect(table).toContain('2 consumer–provider pairs, 3 interactions.');
  });

  it('replaces only what is between the markers, and refuses a doc without them', () => {
    expect(withTable(`a\n${START}\nold\n${END}\nb`, 'new')).toBe(`a\n${START}\nnew\n${END}\nb`);
    expect(() => withTable('no markers', 'new')).toThrow(/no/);
  });
});
