import { existsSync } from 'node:fs';
import path from 'node:path';
import { lintMessages, root, run } from './support/lint-snippet';

/**
 * Proves the framework-free rule in eslint.config.mjs fails a build: Nest (or a
 * lib that re-exports it) imported into a folder on the list is an error, and
 * the same import elsewhere is fine. Lints snippets as if they lived at a path,
 * with the real config.
 */
const restrictedImports = (filePath: string, code: string): Promise<string[]> => lintMessages(filePath, code, 'no-restricted-imports');

describe('framework-free folders and files', () => {
  jest.setTimeout(60_000);
  let paths: string[];

  beforeAll(async () => {
    // An ES module (eslint.config.mjs imports it); loaded the way Node loads it.
    const { stdout } = await run(process.execPath, ['--input-type=module', '-e', "import('./tools/lint/framework-free.mjs').then((m) => process.stdout.write(JSON.stringify(m.FRAMEWORK_FREE_PATHS)))"], { cwd: root });
    paths = JSON.parse(stdout) as string[];
  });

  it('lists only folders and files that exist', () => {
    expect(paths.length).toBeGreaterThan(0);
    expect(paths.filter((entry) => !existsSync(path.join(root, entry)))).toEqual([]);
  });

  it.each([
    ['libs/comparison/src/leak.ts', "import { Injectable } from '@nestjs/common';\nexport const x = Injectable;\n"],
    ['apps/gateway/src/router/leak.ts', "import { ApiError } from '@understudy/platform';\nexport const x = ApiError;\n"],
    ['apps/pricing/src/rules/leak.ts', "export * from '@understudy/health';\n"],
    ['libs/messaging/src/leak.ts', "import { Injectable } from '@nestjs/common';\nexport const x = Injectable;\n"],
    ['apps/pricing/src/read-model/read-model.ts', "import { Injectable } from '@nestjs/common';\nexport const x = Injectable;\n"],
  ])('rejects Nest in %s', async (file, code) => {
    expect((await restrictedImports(file, code)).join('\n')).toMatch(/framework-free/);
  });

  it('keeps prom-client values (metrics declared by hand) out of every folder but libs/observability', async () => {
    const byHand = "import { Gauge } from 'prom-client';\nexport const g = Gauge;\n";
    for (const file of ['apps/shopify-sim/src/leak.ts', 'apps/gateway/src/stats/leak.ts']) expect((await restrictedImports(file, byHand)).join('\n')).toMatch(/@understudy\/observability/);
    expect(await restrictedImports('apps/shopify-sim/src/ok.ts', "import type { Registry } from 'prom-client';\nexport type R = Registry;\n")).toEqual([]);
  });

  it('allows Nest where modules wire, and plain libs in framework-free folders', async () => {
    expect(await restrictedImports('apps/gateway/src/admin/ok.ts', "import { Injectable } from '@nestjs/common';\nexport const x = Injectable;\n")).toEqual([]);
    // A listed file does not make its folder framework-free: the module beside it wires it.
    expect(await restrictedImports('apps/pricing/src/read-model/read-model.service.ts', "import { Injectable } from '@nestjs/common';\nexport const x = Injectable;\n")).toEqual([]);
    expect(await restrictedImports('apps/gateway/src/router/ok.ts', "import { errorBody } from '@understudy/contracts';\nexport const x = errorBody;\n")).toEqual([]);
  });
});
