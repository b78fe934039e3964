import { compareResponses } from '@understudy/comparison';
import { observationFrom } from './observation';

describe('observationFrom', () => {
  const ok = { status: 200, body: { a: 1 } };

  it('charges a shadow failure to the module in shadow mode', () => {
    const comparison = compareResponses(ok, { failure: 'timeout' });
    expect(observationFrom({ primary: 'monolith', shadow: true }, { comparison, primaryMs: 10, shadowMs: 2000 })).toEqual({
      outcome: 'timeout',
      diffs: [],
      module: { side: 'shadow', failed: true },
      primaryMs: 10,
      shadowMs: 2000,
    });
  });

  it('does not charge the module for the monolith failing', () => {
    const comparison = compareResponses({ failure: 'error' }, ok);
    expect(observationFrom({ primary: 'monolith', shadow: true }, { comparison }).module).toEqual({ side: 'shadow', failed: false });
    expect(observationFrom({ primary: 'module', shadow: true }, { comparison }).module).toEqual({ side: 'primary', failed: true });
  });

  it('records a module-only call without a comparison', () => {
    expect(observationFrom({ primary: 'module', shadow: false }, { primaryFailed: true, primaryMs: 30 })).toEqual({
      module: { side: 'primary', failed: true },
      primaryMs: 30,
    });
    expect(observationFrom({ primary: 'monolith', shadow: false }, { primaryMs: 30 })).toEqual({ primaryMs: 30 });
  });
});
