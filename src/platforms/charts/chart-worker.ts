// The chart thread's entry: draws the ChartSpecs it is given (workerData.specs) as PNGs with
// Chart.js on @napi-rs/canvas and the Noto Sans SC font, posts them back, and ends. Loaded
// only when a digest is built, so neither the chart stack nor its memory is in an idle kehu.
import { parentPort, workerData } from 'node:worker_threads';
import { drawCharts } from './draw-charts.ts';
import type { ChartSpec } from '../../chat/digests/charts.ts';

const { specs } = workerData as { specs: ChartSpec[] };
try {
  const pngs = await drawCharts(specs);
  parentPort!.postMessage({ ok: true, pngs }, pngs.map((p) => p.buffer as ArrayBuffer));
} catch (e) {
  parentPort!.postMessage({ ok: false, error: e instanceof Error ? (e.stack ?? e.message) : String(e) });
}
