// The import bench's baseline, in plain JavaScript so that nothing but node and csv-parse is
// in it: reads a CSV file with the options the import CLI gives csv-parse, counts the
// records, and prints one JSON line: { records, seconds, peakMb } (peak RSS of this process).
//   node test/bench/csv-parse-baseline.mjs <file.csv>
import { createReadStream } from 'node:fs';
import { parse } from 'csv-parse';

const started = performance.now();
let records = 0;
for await (const _record of createReadStream(process.argv[2]).pipe(parse({ bom: true, relax_column_count: true, skip_empty_lines: false, relax_quotes: true }))) records++;
const seconds = (performance.now() - started) / 1000;
console.log(JSON.stringify({ records, seconds, peakMb: process.resourceUsage().maxRSS / 1024 }));
