import { decideNoise } from './noise-decisions';
import { routeConfigSchema } from './route-config';

describe('decideNoise', () => {
  const config = (ignore: string[], rejected: string[]) => routeConfigSchema.parse({ name: 'inventory.check', comparison: { ignore }, noise: { enabled: true, rejected } });

  it('confirms a learned path into the stored ignore list, and takes it off the rejected list', () => {
    expect(decideNoise(config([], []), ['$.at'], '$.at', 'confirm')).toEqual({ kind: 'change', change: { ignore: ['$.at'], rejected: [] } });
    expect(decideNoise(config(['$.x'], ['$.at']), [], '$.at', 'confirm')).toEqual({ kind: 'change', change: { ignore: ['$.x', '$.at'], rejected: [] } });
    expect(decideNoise(config(['$.at'], []), ['$.at'], '$.at', 'confirm')).toEqual({ kind: 'unchanged' });
  });

  it('rejects a learned or confirmed path: off the ignore list, onto the rejected one', () => {
    expect(decideNoise(config([], []), ['$.at'], '$.at', 'reject')).toEqual({ kind: 'change', change: { ignore: [], rejected: ['$.at'] } });
    expect(decideNoise(config(['$.at', '$.x'], []), [], '$.at', 'reject')).toEqual({ kind: 'change', change: { ignore: ['$.x'], rejected: ['$.at'] } });
  });

  it('is idempotent for a path already rejected, and refuses a path that is no candidate', () => {
    expect(decideNoise(config([], ['$.at']), [], '$.at', 'reject')).toEqual({ kind: 'unchanged' });
    expect(decideNoise(config([], []), ['$.other'], '$.at', 'reject')).toEqual({ kind: 'not-a-candidate' });
    // Rejected and (by a hand-made PATCH) ignored at once: the rejection is completed, not skipped.
    expect(decideNoise(config(['$.at'], ['$.at']), [], '$.at', 'reject')).toEqual({ kind: 'change', change: { ignore: [], rejected: ['$.at'] } });
  });
});
