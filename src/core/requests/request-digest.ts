// The digest's record of service requests (issue 15, point 3), per department: received and
// resolved in the period, the share resolved within target, breaches (resolved late, or open
// past the deadline at the period's end), the median first response in the department's
// working hours, ratings (mean, count, the lowest with their comments), and the promises to
// customers checked and broken. Pure: the store reads bounded rows, this counts them.
import { median } from '../stats.ts';
import { workingMsBetween, type WorkingSchedule } from '../time/working-time.ts';

/** The rows of one scope (a line's requests, or a department's) and period. */
export interface RequestDigestRows {
  /** Submitted in the period. */
  received: { departmentId: string; clockStart: Date; respondedAt?: Date }[];
  /** Resolved in the period. */
  resolved: { departmentId: string; resolvedAt: Date; resolutionDue: Date; rating?: number; ratingComment?: string }[];
  /** Still open past the resolution deadline at the period's end, per department. */
  overdue: { departmentId: string; count: number }[];
  /** Promises to customers: checked (recorded) in the period, and settled kept or broken. */
  promises: { checked: number; kept: number; broken: number };
}

export interface DepartmentRecord {
  departmentId: string;
  received: number;
  resolved: number;
  onTime: number;
  /** Resolved late in the period, plus open past the deadline at its end. */
  breaches: number;
  overdue: number;
  /** Median time to the first response, in the department's working ms; undefined when nothing was answered. */
  firstResponseMedianMs?: number;
  ratings: number;
  ratingSum: number;
  /** The lowest ratings that came with a comment, lowest first (at most LOWEST_SHOWN). */
  lowest: { rating: number; comment: string }[];
}

export interface RequestDigestRecord {
  departments: DepartmentRecord[];
  promises: { checked: number; kept: number; broken: number };
}

export const LOWEST_SHOWN = 3;

export function departmentRecords(rows: RequestDigestRows, scheduleOf: (departmentId: string) => WorkingSchedule): RequestDigestRecord {
  const records = new Map<string, DepartmentRecord>();
  const responses = new Map<string, number[]>();
  const comments = new Map<string, { rating: number; comment: string }[]>();
  const of = (id: string) =>
    records.get(id) ?? records.set(id, { departmentId: id, received: 0, resolved: 0, onTime: 0, breaches: 0, overdue: 0, ratings: 0, ratingSum: 0, lowest: [] }).get(id)!;
  for (const r of rows.received) {
    of(r.departmentId).received++;
    if (r.respondedAt) {
      const list = responses.get(r.departmentId) ?? responses.set(r.departmentId, []).get(r.departmentId)!;
      list.push(workingMsBetween(r.clockStart.getTime(), r.respondedAt.getTime(), scheduleOf(r.departmentId)));
    }
  }
  for (const r of rows.resolved) {
    const d = of(r.departmentId);
    d.resolved++;
    if (r.resolvedAt <= r.resolutionDue) d.onTime++;
    else d.breaches++;
    if (r.rating !== undefined) {
      d.ratings++;
      d.ratingSum += r.rating;
      if (r.ratingComment?.trim()) (comments.get(r.departmentId) ?? comments.set(r.departmentId, []).get(r.departmentId)!).push({ rating: r.rating, comment: r.ratingComment.trim() });
    }
  }
  for (const o of rows.overdue) {
    const d = of(o.departmentId);
    d.overdue += o.count;
    d.breaches += o.count;
  }
  for (const d of records.values()) {
    d.firstResponseMedianMs = median(responses.get(d.departmentId) ?? []);
    d.lowest = (comments.get(d.departmentId) ?? []).sort((a, b) => a.rating - b.rating).slice(0, LOWEST_SHOWN);
  }
  return { departments: [...records.values()].sort((a, b) => a.departmentId.localeCompare(b.departmentId)), promises: rows.promises };
}
