import { copyFileSync, existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

/** The committed pact files (docs/contracts.md). */
export const PACTS_DIR = path.resolve(__dirname, '../../../pacts');

/**
 * Where a consumer test writes its pact: a fresh directory, because Pact merges
 * into an existing file (an interaction removed from the test would survive).
 */
export function freshPactDir(): string {
  return mkdtempSync(path.join(tmpdir(), 'understudy-pact-'));
}

/**
 * After a consumer test: `PACT_UPDATE=1` copies the generated pact over the
 * committed one; otherwise the committed one must be byte for byte the
 * generated one, or the test fails (a stale pact never reaches main).
 * Returns the mismatch, or undefined when they agree.
 */
export function settlePact(generatedDir: string, consumer: string, provider: string): string | undefined {
  const file = `${consumer}-${provider}.json`;
  const generated = path.join(generatedDir, file);
  const committed = path.join(PACTS_DIR, file);
  try {
    if (!existsSync(generated)) return `no pact was written to ${generated}`;
    if (process.env['PACT_UPDATE'] === '1') {
      copyFileSync(generated, committed);
      return undefined;
    }
    if (!existsSync(committed)) return `pacts/${file} is missing: run PACT_UPDATE=1 npm run test:contracts and commit it`;
    const fresh = readFileSync(generated, 'utf8');
    if (readFileSync(committed, 'utf8') !== fresh) return `pacts/${file} is stale: run PACT_UPDATE=1 npm run test:contracts and commit it`;
    return undefined;
  } finally {
    rmSync(generatedDir, { recursive: true, force: true });
  }
}
