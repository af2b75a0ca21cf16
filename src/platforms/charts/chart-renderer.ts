// The ChartRenderer of chat/digests/charts.ts: the charts are drawn in a worker thread
// (chart-worker.ts) started on the first digest and ended CHART_THREAD_IDLE_MS after the
// last, so the 40-odd MB of Skia, Chart.js and the font are loaded only while digests are
// being built (a Monday morning's run reuses one thread) and given back after; an idle kehu
// never loads them.
import { Worker } from 'node:worker_threads';
import type { ChartRenderer, ChartSpec } from '../../chat/digests/charts.ts';

const ENTRY = new URL(import.meta.url.endsWith('.ts') ? './chart-worker.ts' : './chart-worker.js', import.meta.url);
/** Worker threads start without the main thread's loader hooks (Node 20): a .ts entry goes through tsx. */
const TS_LOADER = new URL('../load-ts-entry.mjs', import.meta.url);
/** Drawing two charts takes well under a second; a thread that hangs is ended. */
const CHART_TIMEOUT_MS = 30_000;
export const CHART_THREAD_IDLE_MS = 10_000;

type Answer = { id: number; ok: true; pngs: Uint8Array[] } | { id: number; ok: false; error: string };

export function chartRenderer(options: { idleMs?: number } = {}): ChartRenderer {
  const idleMs = options.idleMs ?? CHART_THREAD_IDLE_MS;
  let worker: Worker | undefined;
  let idleTimer: NodeJS.Timeout | undefined;
  let seq = 0;
  const waiting = new Map<number, { resolve: (p: Uint8Array[]) => void; reject: (e: Error) => void; timer: NodeJS.Timeout }>();

  const failAll = (e: Error) => {
    for (const [id, w] of waiting) {
      clearTimeout(w.timer);
      waiting.delete(id);
      w.reject(e);
    }
  };
  const end = () => {
    const w = worker;
    worker = undefined;
    void w?.terminate();
  };
  const start = (): Worker => {
    const ts = ENTRY.pathname.endsWith('.ts');
    const w = new Worker(ts ? TS_LOADER : ENTRY, { workerData: { entry: ENTRY.href }, name: 'kehu-charts' });
    w.unref();
    w.on('message', (m: Answer) => {
      const pending = waiting.get(m.id);
      if (!pending) return;
      clearTimeout(pending.timer);
      waiting.delete(m.id);
      if (m.ok) pending.resolve(m.pngs);
      else pending.reject(new Error(`charts: ${m.error}`));
      if (waiting.size === 0) idleTimer = setTimeout(end, idleMs).unref();
    });
    w.on('error', (e) => {
      if (worker === w) worker = undefined;
      failAll(e);
    });
    w.on('exit', (code) => {
      if (worker === w) worker = undefined;
      failAll(new Error(`charts: the chart thread exited (${code})`));
    });
    return w;
  };

  return {
    render(specs: ChartSpec[]) {
      clearTimeout(idleTimer);
      const w = (worker ??= start());
      const id = ++seq;
      return new Promise<Uint8Array[]>((resolve, reject) => {
        const timer = setTimeout(() => {
          waiting.delete(id);
          end();
          reject(new Error(`charts: no answer within ${CHART_TIMEOUT_MS} ms`));
        }, CHART_TIMEOUT_MS);
        waiting.set(id, { resolve, reject, timer });
        w.postMessage({ id, specs });
      });
    },
  };
}
