// The chart thread's entry: draws the ChartSpecs of each request it is sent ({ id, specs })
// as PNGs with Chart.js on @napi-rs/canvas and the Noto Sans SC font, and answers
// { id, ok, pngs }. Started only when a digest is built, and ended when idle
// (chart-renderer.ts), so neither the chart stack nor its memory stays in kehu.
import { parentPort } from 'node:worker_threads';
import type { ChartSpec } from '../../chat/digests/charts.ts';
import { drawCharts } from './draw-charts.ts';

parentPort!.on('message', ({ id, specs }: { id: number; specs: ChartSpec[] }) => {
  try {
    const pngs = drawCharts(specs);
    parentPort!.postMessage({ id, ok: true, pngs }, pngs.map((p) => p.buffer as ArrayBuffer));
  } catch (e) {
    parentPort!.postMessage({ id, ok: false, error: e instanceof Error ? (e.stack ?? e.message) : String(e) });
  }
});
