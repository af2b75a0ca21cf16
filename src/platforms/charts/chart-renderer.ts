// The ChartRenderer of chat/digests/charts.ts: each call starts a short-lived worker thread
// (chart-worker.ts) that loads the chart stack, draws, hands the PNGs back and exits, so
// the 40-odd MB of Skia, Chart.js and the font are given back after each digest and an
// idle kehu never loads them.
import { Worker } from 'node:worker_threads';
import type { ChartRenderer, ChartSpec } from '../../chat/digests/charts.ts';

const ENTRY = new URL(import.meta.url.endsWith('.ts') ? './chart-worker.ts' : './chart-worker.js', import.meta.url);
/** Worker threads start without the main thread's loader hooks (Node 20): a .ts entry goes through tsx. */
const TS_LOADER = new URL('../load-ts-entry.mjs', import.meta.url);
/** Drawing two charts takes well under a second; a thread that hangs is ended. */
const CHART_TIMEOUT_MS = 30_000;

export function chartRenderer(): ChartRenderer {
  return {
    render(specs: ChartSpec[]) {
      const ts = ENTRY.pathname.endsWith('.ts');
      return new Promise<Uint8Array[]>((resolve, reject) => {
        const worker = new Worker(ts ? TS_LOADER : ENTRY, { workerData: { specs, entry: ENTRY.href }, name: 'kehu-charts', resourceLimits: { maxYoungGenerationSizeMb: 8 } });
        const timer = setTimeout(() => {
          void worker.terminate();
          reject(new Error(`charts: no answer within ${CHART_TIMEOUT_MS} ms`));
        }, CHART_TIMEOUT_MS);
        worker.once('message', (m: { ok: true; pngs: Uint8Array[] } | { ok: false; error: string }) => {
          clearTimeout(timer);
          void worker.terminate();
          if (m.ok) resolve(m.pngs);
          else reject(new Error(`charts: ${m.error}`));
        });
        worker.once('error', (e) => {
          clearTimeout(timer);
          reject(e);
        });
        worker.once('exit', (code) => {
          clearTimeout(timer);
          reject(new Error(`charts: the chart thread exited (${code}) without an answer`));
        });
      });
    },
  };
}
