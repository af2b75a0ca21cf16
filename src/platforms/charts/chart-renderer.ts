// The ChartRenderer of chat/digests/charts.ts: the charts are drawn in child processes
// (chart-worker.ts), each started when a chart needs it and ended CHART_PROCESS_IDLE_MS
// after its last, so Skia, Chart.js and the font are loaded only while digests are being
// built (a Monday morning's run reuses them) and an idle kehu never loads them. Processes,
// not worker threads: a thread's native memory (Skia's, the font's) stayed in kehu's RSS
// after the thread ended, about 30 MB; a process's goes back to the system when it exits.
//
// Each chart is drawn on its own (a digest's two charts at once, a slot's digests side by
// side), by whichever process has the fewest waiting, up to CHART_PROCESSES of them (one
// per core, at most 3: each holds about 150 MB while it runs).
import { fork, type ChildProcess } from 'node:child_process';
import { createRequire } from 'node:module';
import { availableParallelism } from 'node:os';
import { pathToFileURL } from 'node:url';
import type { ChartRenderer, ChartSpec } from '../../chat/digests/charts.ts';

const ENTRY = new URL(import.meta.url.endsWith('.ts') ? './chart-worker.ts' : './chart-worker.js', import.meta.url);
/** Drawing a chart takes well under a second; a process that hangs is ended. */
const CHART_TIMEOUT_MS = 30_000;
/** Digests of a batch come back to back (each in well under a second): the processes serve them all. */
export const CHART_PROCESS_IDLE_MS = 2_000;
export const CHART_PROCESSES = Math.max(1, Math.min(3, availableParallelism()));

type Answer = { id: number; ok: true; pngs: Uint8Array[] } | { id: number; ok: false; error: string };

interface ChartProcess {
  /** Charts sent and not answered yet. */
  waiting(): number;
  render(specs: ChartSpec[]): Promise<Uint8Array[]>;
}

/** One chart process, started on its first chart, ended when idle (or hung). */
function chartProcess(idleMs: number): ChartProcess {
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
    waiting: () => waiting.size,
    render(specs) {
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

export function chartRenderer(options: { idleMs?: number; processes?: number } = {}): ChartRenderer {
  const idleMs = options.idleMs ?? CHART_PROCESS_IDLE_MS;
  const max = Math.max(1, options.processes ?? CHART_PROCESSES);
  const pool: ChartProcess[] = [];
  // The least busy process; a new one while every one is busy and there is room.
  const pick = (): ChartProcess => {
    const idle = pool.reduce<ChartProcess | undefined>((best, p) => (!best || p.waiting() < best.waiting() ? p : best), undefined);
    if (idle && (idle.waiting() === 0 || pool.length >= max)) return idle;
    const started = chartProcess(idleMs);
    pool.push(started);
    return started;
  };
  return {
    async render(specs: ChartSpec[]) {
      const pngs = await Promise.all(specs.map((spec) => pick().render([spec])));
      return pngs.map((p) => p[0]!);
    },
  };
}
