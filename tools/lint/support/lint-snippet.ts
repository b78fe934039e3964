import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';

export const run = promisify(execFile);
export const root = path.resolve(__dirname, '../../..');
const eslintBin = path.join(root, 'node_modules/eslint/bin/eslint.js');

/**
 * Lints `code` as if it lived at `filePath`, with the real eslint.config.mjs,
 * and returns the messages of `ruleId`: how the lint specs prove a rule fails a build.
 */
export async function lintMessages(filePath: string, code: string, ruleId: string): Promise<string[]> {
  // The report goes to a file: Nx may print notices on stdout (e.g. on a fresh clone with no graph cache).
  const report = path.join(mkdtempSync(path.join(tmpdir(), 'lint-snippet-')), 'report.json');
  const child = run(process.execPath, [eslintBin, '--format', 'json', '--output-file', report, '--stdin', '--stdin-filename', filePath], {
    cwd: root,
    env: { ...process.env, NX_DAEMON: 'false' },
  });
  child.child.stdin?.end(code);
  await child.catch(() => undefined); // exit code 1 = lint errors, which is what we look for
  const [result] = JSON.parse(readFileSync(report, 'utf8')) as Array<{ messages: Array<{ ruleId: string | null; message: string }> }>;
  return result!.messages.filter((m) => m.ruleId === ruleId).map((m) => m.message);
}
