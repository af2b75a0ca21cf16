// The chart process's entry: draws the ChartSpecs of each request it is sent ({ id, specs })
// as PNGs with Chart.js on @napi-rs/canvas and the Noto Sans SC font, and answers
// { id, ok, pngs } over IPC. Started only when a digest is built and ended when idle
// (chart-renderer.ts), so neither the chart stack nor its memory stays in kehu.
import type { ChartSpec } from '../../chat/digests/charts.ts';
import { drawCharts } from './draw-charts.ts';

process.on('message', ({ id, specs }: { id: number; specs: ChartSpec[] }) => {
  try {
    process.send!({ id, ok: true, pngs: drawCharts(specs) });
  } catch (e) {
    process.send!({ id, ok: false, error: e instanceof Error ? (e.stack ?? e.message) : String(e) });
  }
});
// The parent gone (it died, or ended us): nothing left to draw for.
process.on('disconnect', () => process.exit(0));
