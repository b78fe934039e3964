import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync } from 'node:fs';
import path from 'node:path';

/** The pinned fuzzer: a new version is a deliberate change here (its checks and generators evolve). */
export const SCHEMATHESIS_VERSION = '4.32.5';

/**
 * Schemathesis in the project's own virtualenv (`.tools/venv/schemathesis`),
 * installed from the package index on first use and reused while it is the
 * pinned version. Returns the path of its executable.
 */
export function ensureSchemathesis(root: string, log: (line: string) => void): string {
  const venv = path.join(root, '.tools/venv/schemathesis');
  const executable = path.join(venv, 'bin/schemathesis');
  if (installedVersion(executable) === SCHEMATHESIS_VERSION) return executable;

  const python = ['python3', 'python'].find((name) => spawnSync(name, ['--version'], { stdio: 'ignore' }).status === 0);
  if (!python) throw new Error('the fuzz step needs Python 3 with venv (Debian: apt-get install python3-venv)');
  log(`installing schemathesis ${SCHEMATHESIS_VERSION} into ${path.relative(root, venv)} (once; later runs reuse it)`);
  mkdirSync(path.dirname(venv), { recursive: true });
  run(python, ['-m', 'venv', '--clear', venv]);
  run(path.join(venv, 'bin/python'), ['-m', 'pip', 'install', '--quiet', '--disable-pip-version-check', `schemathesis==${SCHEMATHESIS_VERSION}`]);
  const version = installedVersion(executable);
  if (version !== SCHEMATHESIS_VERSION) throw new Error(`schemathesis install gave version ${version ?? 'none'}, expected ${SCHEMATHESIS_VERSION}`);
  return executable;
}

function installedVersion(executable: string): string | undefined {
  if (!existsSync(executable)) return undefined;
  const result = spawnSync(executable, ['--version'], { encoding: 'utf8' });
  return result.status === 0 ? /version (\S+)/.exec(result.stdout)?.[1] : undefined;
}

function run(command: string, args: string[]): void {
  const result = spawnSync(command, args, { stdio: ['ignore', 'inherit', 'inherit'] });
  if (result.status !== 0) throw new Error(`${command} ${args.join(' ')} exited ${result.status ?? result.signal}`);
}
