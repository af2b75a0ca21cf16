// The ChartRenderer of chat/digests/charts.ts: the charts are drawn in a child process
// (chart-worker.ts) started on the first digest and ended CHART_PROCESS_IDLE_MS after the
// last, so Skia, Chart.js and the font are loaded only while digests are being built (a
// Monday morning's run reuses one process) and an idle kehu never loads them. A process,
// not a worker thread: a thread's native memory (Skia's, the font's) stayed in kehu's RSS
// after the thread ended, about 30 MB; a process's goes back to the system when it exits.
import { fork, type ChildProcess } from 'node:child_process';
import { createRequire } from 'node:module';
import { pathToFileURL } from 'node:url';
import type { ChartRenderer, ChartSpec } from '../../chat/digests/charts.ts';

const ENTRY = new URL(import.meta.url.endsWith('.ts') ? './chart-worker.ts' : './chart-worker.js', import.meta.url);
/** Drawing two charts takes well under a second; a thread that hangs is ended. */
const CHART_TIMEOUT_MS = 30_000;
/** Digests of a batch come back to back (each in well under a second): one process serves them all. */
export const CHART_PROCESS_IDLE_MS = 2_000;

type Answer = { id: number; ok: true; pngs: Uint8Array[] } | { id: number; ok: false; error: string };

export function chartRenderer(options: { idleMs?: number } = {}): ChartRenderer {
  const idleMs = options.idleMs ?? CHART_PROCESS_IDLE_MS;
  let worker: ChildProcess | undefined;
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
    w?.kill();
  };
  const start = (): ChildProcess => {
    // From source (dev, tests) the entry is TypeScript: the child loads it through tsx.
    const ts = ENTRY.pathname.endsWith('.ts');
    const w = fork(ENTRY, [], { execArgv: ts ? ['--import', pathToFileURL(createRequire(import.meta.url).resolve('tsx/esm')).href] : [], serialization: 'advanced', stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
    w.unref();
    w.channel?.unref();
    w.on('message', (m: Answer) => {
      const pending = waiting.get(m.id);
      if (!pending) return;
      clearTimeout(pending.timer);
      waiting.delete(m.id);
      if (m.ok) pending.resolve(m.pngs);
      else pending.reject(new Error(`charts: ${m.error}`));
      if (waiting.size === 0) {
        // Nothing waits on it: it must not keep kehu (or a test) alive.
        w.channel?.unref();
        idleTimer = setTimeout(end, idleMs).unref();
      }
    });
    w.on('error', (e) => {
      if (worker === w) worker = undefined;
      failAll(e);
    });
    w.on('exit', (code) => {
      if (worker === w) worker = undefined;
      failAll(new Error(`charts: the chart process exited (${code})`));
    });
    return w;
  };

  return {
    render(specs: ChartSpec[]) {
      clearTimeout(idleTimer);
      const w = (worker ??= start());
      w.channel?.ref();
      const id = ++seq;
      return new Promise<Uint8Array[]>((resolve, reject) => {
        const timer = setTimeout(() => {
          waiting.delete(id);
          end();
          reject(new Error(`charts: no answer within ${CHART_TIMEOUT_MS} ms`));
        }, CHART_TIMEOUT_MS);
        waiting.set(id, { resolve, reject, timer });
        w.send({ id, specs });
      });
    },
  };
}
