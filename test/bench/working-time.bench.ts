// `npm run bench -- working-time`: 100,000 deadline computations across the 2026 holiday
// periods (Spring Festival, Labour Day, National Day; each start an hour before the break,
// a working-hours target that crosses it) against the same count of plain calendar-hour
// additions. KEHU_BENCH_DEADLINES sets the count. The ratio is reported; no target is set
// (the issue asks for the figure).
import { addWorkingTime, type WorkingSchedule } from '../../src/core/time/working-time.ts';
import type { Bench } from './bench-kit.ts';

const SCHEDULE: WorkingSchedule = { timezone: 'Asia/Shanghai', start: '09:00', end: '18:00', days: ['mon', 'tue', 'wed', 'thu', 'fri'] };
const STARTS = ['2026-02-13T17:00:00+08:00', '2026-04-30T17:00:00+08:00', '2026-09-30T17:00:00+08:00', '2026-09-24T16:00:00+08:00'].map((s) => Date.parse(s));

export const workingTimeBench: Bench = {
  name: 'working-time',
  description: 'deadlines in working time across the 2026 holidays vs plain calendar-hour additions',
  async run() {
    const n = Number(process.env.KEHU_BENCH_DEADLINES ?? 100_000);
    const hours = (i: number) => 1 + (i % 24);
    let sink = 0;
    // Warm both paths first (JIT, the calendar package's first look-ups).
    for (let i = 0; i < 2000; i++) sink += addWorkingTime(STARTS[i % 4]!, { hours: hours(i) }, SCHEDULE) + STARTS[i % 4]! + hours(i) * 3600_000;
    let t = performance.now();
    for (let i = 0; i < n; i++) sink += STARTS[i % 4]! + hours(i) * 3600_000;
    const plainMs = performance.now() - t;
    t = performance.now();
    for (let i = 0; i < n; i++) sink += addWorkingTime(STARTS[i % 4]!, { hours: hours(i) }, SCHEDULE);
    const workingMs = performance.now() - t;
    const ratio = workingMs / Math.max(plainMs, 1e-3);
    const report = [
      `${n.toLocaleString('en')} deadlines (1–24 working hours, each crossing a 2026 holiday)`,
      `  working time:        ${workingMs.toFixed(1)} ms (${((workingMs * 1000) / n).toFixed(2)} µs each)`,
      `  calendar-hour adds:  ${plainMs.toFixed(2)} ms`,
      `  ratio:               ${ratio.toFixed(0)}×   (checksum ${sink % 1000})`,
    ].join('\n');
    return { report, checks: [] };
  },
};
