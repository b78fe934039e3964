// globalTeardown of the `faults` jest project: every scenario's figures as one JSON file and one
// markdown table in tmp/faults/ (npm run faults:doc copies the table into docs/reliability.md).
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { loadScenarios, renderTable, resultsDir } from './results';

const root = path.resolve(__dirname, '../../..');

export default function writeResults(): void {
  const results = loadScenarios(root);
  if (results.length === 0) return;
  writeFileSync(path.join(resultsDir(root), 'results.json'), `${JSON.stringify(results, null, 2)}\n`);
  writeFileSync(path.join(resultsDir(root), 'results.md'), `${renderTable(results)}\n`);
  process.stdout.write(`\nfault suite: ${results.length} scenarios, table in tmp/faults/results.md\n`);
}
