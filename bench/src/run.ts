import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

import { apiBenchmarks } from './api.bench.ts';
import { domainBenchmarks } from './domain.bench.ts';
import { syncBenchmarks } from './sync.bench.ts';
import type { BenchResult } from './harness.ts';
import { machineInfo, measure } from './harness.ts';

// `npm run bench`: every benchmark of the project, one after the other in one process, printed as a
// table and written to bench/results/latest.json. Later issues append their suites to `suites`.
const suites = [domainBenchmarks, syncBenchmarks, apiBenchmarks];
const only = process.argv[2];

const results: BenchResult[] = [];
console.log(`machine: ${JSON.stringify(machineInfo())}`);
for (const suite of suites) {
  for (const benchmark of suite()) {
    if (only && !benchmark.name.includes(only)) continue;
    process.stderr.write(`running ${benchmark.name} ...\n`);
    const result = await measure(benchmark);
    results.push(result);
    console.log(
      `${result.name.padEnd(32)} ${result.value.toLocaleString('en-US').padStart(14)} ${result.unit}`,
    );
  }
}

console.table(results.map(({ name, value, unit, items, bestMs }) => ({ name, value, unit, items, bestMs })));
const out = join(dirname(fileURLToPath(import.meta.url)), '..', 'results', 'latest.json');
mkdirSync(dirname(out), { recursive: true });
// A filtered run (`npm run bench -- api`) replaces only its own results in the file.
const kept: BenchResult[] =
  only && existsSync(out)
    ? (JSON.parse(readFileSync(out, 'utf8')) as BenchResult[]).filter(
        (previous) => !results.some((result) => result.name === previous.name),
      )
    : [];
writeFileSync(out, `${JSON.stringify([...kept, ...results], null, 2)}\n`);
console.log(`written ${out}`);
