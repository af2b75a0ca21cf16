// The import's progress on a terminal: one line, rewritten in place, once a file takes
// more than about two seconds (rows read, refused, written, the rate). Nothing at all when
// stderr is not a terminal, so pipes, logs and tests stay clean.
import type { ImportProgress } from '../core/customers/import-customers.ts';

/** Silent for files that finish sooner than this. */
export const PROGRESS_AFTER_MS = 2_000;
/** At most one redraw per this long. */
const REDRAW_MS = 200;

export interface ProgressStream {
  isTTY?: boolean;
  write(text: string): unknown;
}

/** "12,345 rows read, 7 refused, 0 written · 4,120 rows/s". */
export function formatProgress(p: ImportProgress & { rowsPerSecond: number }): string {
  const n = (v: number) => Math.round(v).toLocaleString('en');
  return `${n(p.read)} rows read, ${n(p.refused)} refused, ${n(p.written)} written · ${n(p.rowsPerSecond)} rows/s`;
}

export interface ProgressLine {
  update(p: ImportProgress): void;
  /** Clears the line (if one was drawn), before the report is printed. */
  done(): void;
}

/**
 * A progress line on `stream` when it is a terminal; a no-op otherwise. The rate is of
 * the current phase: rows read per second while reading, written per second while writing.
 */
export function progressLine(stream: ProgressStream | undefined, now: () => number = () => performance.now()): ProgressLine {
  if (!stream?.isTTY) return { update: () => {}, done: () => {} };
  const started = now();
  let drawn = false;
  let last = 0;
  let writeStarted: number | undefined;
  return {
    update(p) {
      const t = now();
      if (p.written > 0) writeStarted ??= t;
      if (t - started < PROGRESS_AFTER_MS || t - last < REDRAW_MS) return;
      last = t;
      const seconds = Math.max((t - (writeStarted ?? started)) / 1000, 0.001);
      const rowsPerSecond = (writeStarted !== undefined ? p.written : p.read) / seconds;
      stream.write(`\r${formatProgress({ ...p, rowsPerSecond })}\x1b[K`);
      drawn = true;
    },
    done() {
      if (drawn) stream.write('\r\x1b[K');
    },
  };
}
