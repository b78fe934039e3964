// `npm run faults:doc`: copies the table of the last `npm run test:faults` (tmp/faults/) into
// docs/reliability.md, between its fault-table markers. Refuses a partial run.
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { loadScenarios, renderTable, replaceTable } from './support/results';

const root = path.resolve(__dirname, '../..');
const results = loadScenarios(root);
const expected = Number(process.env['FAULTS_EXPECTED_SCENARIOS'] ?? 6);
if (results.length < expected) {
  process.stderr.write(`tmp/faults has ${results.length} scenario results, expected ${expected}: run the whole suite (npm run test:faults) first\n`);
  process.exit(1);
}
const doc = path.join(root, 'docs/reliability.md');
const when = `${new Date().toISOString().slice(0, 10)} by \`npm run test:faults\` on a 2-core machine shared with other work; latencies are what the client saw, in ms`;
writeFileSync(doc, replaceTable(readFileSync(doc, 'utf8'), renderTable(results), when));
process.stdout.write(`docs/reliability.md: table of ${results.length} scenarios updated\n`);
