import path from 'node:path';
import { lintMessages, root, run } from './support/lint-snippet';

/**
 * Proves the module-boundary rules in eslint.config.mjs really fail a build:
 * each case lints a snippet as if it lived at a given path, with the real
 * config and the real Nx project graph.
 */
const boundaryErrors = (filePath: string, code: string): Promise<string[]> => lintMessages(filePath, code, '@nx/enforce-module-boundaries');

describe('module boundaries', () => {
  jest.setTimeout(60_000);

  // The rule reads Nx's cached project graph and silently skips itself without one
  // (fresh clone): compute it first, as `npm test` does before linting.
  beforeAll(async () => {
    await run(process.execPath, [path.join(root, 'node_modules/nx/dist/bin/nx.js'), 'show', 'projects'], {
      cwd: root,
      env: { ...process.env, NX_DAEMON: 'false' },
    });
  });

  it('rejects an app importing another app', async () => {
    const errors = await boundaryErrors('apps/gateway/src/leak.ts', "import '../../inventory/src/config';\n");
    expect(errors.length).toBeGreaterThan(0);
  });

  it('rejects a shared lib importing an app', async () => {
    const errors = await boundaryErrors('libs/messaging/src/leak.ts', "import '../../../apps/inventory/src/config';\n");
    expect(errors.length).toBeGreaterThan(0);
  });

  it('rejects a util lib importing a data-access lib', async () => {
    const errors = await boundaryErrors('libs/config/src/leak.ts', "export * from '@understudy/messaging';\n");
    expect(errors.join('\n')).toMatch(/type:util/);
  });

  it('rejects production code importing the testing lib', async () => {
    const errors = await boundaryErrors('apps/inventory/src/leak.ts', "export * from '@understudy/testing';\n");
    expect(errors.join('\n')).toMatch(/type:app.*can only depend on libs tagged with/);
  });

  it('allows an app to import shared libs, and tests to import the testing lib', async () => {
    expect(await boundaryErrors('apps/inventory/src/ok.ts', "export * from '@understudy/messaging';\n")).toEqual([]);
    expect(await boundaryErrors('apps/inventory/test/ok.int-spec.ts', "export * from '@understudy/testing';\n")).toEqual([]);
  });
});
