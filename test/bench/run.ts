// `npm run bench`: runs the benchmarks in test/bench/ one after another and prints their
// tables and target checks. Add a benchmark by writing <name>.bench.ts exporting a Bench
// and listing it below.
//   npm run bench                         all, default sizes
//   npm run bench -- ack-latency          only the named ones
//   npm run bench -- --requests 500 --warmup 100 --strict   (strict: exit 1 when a target is missed)
import { parseArgs } from 'node:util';
import { ackLatencyBench } from './ack-latency.bench.ts';
import { claimsBench } from './claims.bench.ts';
import { digestBench } from './digest.bench.ts';
import { handoverBench } from './handover.bench.ts';
import { importBench } from './import.bench.ts';
import { inboxLoadBench } from './inbox-load.bench.ts';
import { memoryBench } from './memory.bench.ts';
import { modalLatencyBench } from './modal-latency.bench.ts';
import { workingTimeBench } from './working-time.bench.ts';
import { visitorLatencyBench } from './visitor-latency.bench.ts';
import { requestSweepBench } from './request-sweep.bench.ts';
import type { Bench } from './bench-kit.ts';

const BENCHES: Bench[] = [ackLatencyBench, modalLatencyBench, memoryBench, inboxLoadBench, claimsBench, importBench, digestBench, workingTimeBench, handoverBench, visitorLatencyBench, requestSweepBench];

const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: { requests: { type: 'string', default: '8000' }, warmup: { type: 'string', default: '500' }, strict: { type: 'boolean', default: false } },
});
const requests = Number(values.requests);
const warmup = Number(values.warmup);
const chosen = positionals.length ? BENCHES.filter((b) => positionals.includes(b.name)) : BENCHES;
const unknown = positionals.filter((p) => !BENCHES.some((b) => b.name === p));
if (unknown.length || !Number.isInteger(requests) || requests < 1 || !Number.isInteger(warmup) || warmup < 0) {
  console.error(`usage: npm run bench -- [${BENCHES.map((b) => b.name).join('|')}] [--requests N] [--warmup N] [--strict]`);
  process.exit(2);
}

console.log(`kehu benchmarks — Node ${process.version}, ${new Date().toISOString()}`);
let missed = 0;
for (const bench of chosen) {
  const started = performance.now();
  console.log(`\n== ${bench.name}: ${bench.description}`);
  const result = await bench.run({ requests, warmup });
  console.log(result.report);
  for (const c of result.checks) {
    console.log(`${c.ok ? 'PASS' : 'MISS'}  ${c.name} — ${c.detail}`);
    if (!c.ok) missed++;
  }
  console.log(`(${((performance.now() - started) / 1000).toFixed(1)} s)`);
}
console.log(missed ? `\n${missed} target(s) missed` : '\nall targets met');
process.exit(missed && values.strict ? 1 : 0);
