// globalSetup of the `faults` jest project: a run's table holds only that run's scenarios.
import { rmSync } from 'node:fs';
import path from 'node:path';
import { resultsDir } from './results';

export default function clearResults(): void {
  rmSync(resultsDir(path.resolve(__dirname, '../../..')), { recursive: true, force: true });
}
