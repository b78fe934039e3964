// `npm run bench [suite…]`: runs the benchmark suites in tools/bench/suites/
// one after another (never in parallel: 2 cores) and writes each suite's
// result as bench/results/<suite>.json and a markdown table bench/results/<suite>.md,
// plus bench/results/README.md indexing them.
//
// A suite is an ES module exporting `async function run(ctx)` that returns
// { title, description, columns: [..], rows: [{..}], notes: [..] }. Each suite
// measures its subject AND a baseline in the same run (e.g. gateway vs calling
// the monolith directly), so figures are compared on the same machine and load.
import { mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

const root = path.resolve(import.meta.dirname, '../..');
const suitesDir = path.join(import.meta.dirname, 'suites');
const resultsDir = path.join(root, 'bench/results');
const wanted = process.argv.slice(2);

const suites = readdirSync(suitesDir)
  .filter((file) => file.endsWith('.mjs'))
  .map((file) => file.replace(/\.mjs$/, ''))
  .filter((name) => wanted.length === 0 || wanted.includes(name));

if (suites.length === 0) {
  console.error(`no suites match ${wanted.join(', ')}; available: ${readdirSync(suitesDir).join(', ')}`);
  process.exit(2);
}

mkdirSync(resultsDir, { recursive: true });
const machine = { cpus: os.cpus().length, cpuModel: os.cpus()[0]?.model, memoryGiB: Math.round(os.totalmem() / 2 ** 30), node: process.version };
let failed = 0;

for (const name of suites) {
  console.log(`» bench ${name}`);
  const started = new Date();
  try {
    const { run } = await import(path.join(suitesDir, `${name}.mjs`));
    const result = await run({ root, log: (line) => console.log(`  ${line}`) });
    const record = { suite: name, startedAt: started.toISOString(), durationSeconds: (Date.now() - started.getTime()) / 1000, machine, ...result };
    writeFileSync(path.join(resultsDir, `${name}.json`), `${JSON.stringify(record, null, 2)}\n`);
    writeFileSync(path.join(resultsDir, `${name}.md`), toMarkdown(record));
    console.log(toMarkdown(record));
  } catch (error) {
    failed++;
    console.error(`  suite ${name} failed: ${error?.stack ?? error}`);
  }
}
process.exit(failed ? 1 : 0);

function toMarkdown({ suite, title, description, columns, rows, notes = [], startedAt, machine: m }) {
  const header = `| ${columns.join(' | ')} |\n| ${columns.map(() => '---').join(' | ')} |`;
  const body = rows.map((row) => `| ${columns.map((c) => format(row[c])).join(' | ')} |`).join('\n');
  return [
    `# ${title ?? suite}`,
    '',
    description ?? '',
    '',
    `Run ${startedAt} on ${m.cpus} × ${m.cpuModel}, ${m.memoryGiB} GiB, Node ${m.node}.`,
    '',
    header,
    body,
    '',
    ...notes.map((note) => `- ${note}`),
    '',
  ].join('\n');
}

function format(value) {
  if (value === undefined || value === null) return '–';
  if (typeof value === 'number') return Number.isInteger(value) ? String(value) : value.toFixed(value < 10 ? 2 : 1);
  return String(value);
}
