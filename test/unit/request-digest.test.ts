// The digest's per-department record of service requests (core/requests/request-digest.ts).
import { describe, expect, it } from 'vitest';
import { departmentRecords, type RequestDigestRows } from '../../src/core/requests/request-digest.ts';
import type { WorkingSchedule } from '../../src/core/time/working-time.ts';

const SHANGHAI: WorkingSchedule = { timezone: 'Asia/Shanghai', start: '09:00', end: '18:00', days: ['mon', 'tue', 'wed', 'thu', 'fri'] };
const sh = (local: string) => new Date(`${local.replace(' ', 'T')}:00+08:00`);
const HOUR = 3_600_000;

describe('departmentRecords', () => {
  const rows: RequestDigestRows = {
    received: [
      // Friday 17:00 → Monday 10:00: two working hours, not 65 calendar hours.
      { departmentId: 'admin', clockStart: sh('2026-12-04 17:00'), respondedAt: sh('2026-12-07 10:00') },
      { departmentId: 'admin', clockStart: sh('2026-12-07 09:00'), respondedAt: sh('2026-12-07 09:30') },
      { departmentId: 'admin', clockStart: sh('2026-12-07 11:00'), respondedAt: sh('2026-12-07 15:00') },
      { departmentId: 'admin', clockStart: sh('2026-12-08 11:00') },
      { departmentId: 'legal', clockStart: sh('2026-12-08 11:00') },
    ],
    resolved: [
      { departmentId: 'admin', resolvedAt: sh('2026-12-08 10:00'), resolutionDue: sh('2026-12-08 18:00'), rating: 5 },
      { departmentId: 'admin', resolvedAt: sh('2026-12-09 10:00'), resolutionDue: sh('2026-12-08 18:00'), rating: 2, ratingComment: ' 拖了一天 ' },
      { departmentId: 'admin', resolvedAt: sh('2026-12-09 11:00'), resolutionDue: sh('2026-12-10 18:00'), rating: 1, ratingComment: 'wrong form' },
      { departmentId: 'admin', resolvedAt: sh('2026-12-09 12:00'), resolutionDue: sh('2026-12-10 18:00'), rating: 4, ratingComment: '' },
    ],
    overdue: [{ departmentId: 'legal', count: 2 }],
    promises: { checked: 3, kept: 1, broken: 1 },
  };

  it('counts received, resolved, on time and breaches (late or open past the deadline) per department', () => {
    const { departments } = departmentRecords(rows, () => SHANGHAI);
    expect(departments.map((d) => [d.departmentId, d.received, d.resolved, d.onTime, d.breaches, d.overdue])).toEqual([
      ['admin', 4, 4, 3, 1, 0],
      ['legal', 1, 0, 0, 2, 2],
    ]);
  });

  it('takes the median first response in working hours, skipping the weekend; none when nothing was answered', () => {
    const { departments } = departmentRecords(rows, () => SHANGHAI);
    // 2 h, 0.5 h, 4 h → 2 h.
    expect(departments[0]!.firstResponseMedianMs).toBe(2 * HOUR);
    expect(departments[1]!.firstResponseMedianMs).toBeUndefined();
  });

  it('keeps ratings as mean and count, the lowest with comments first; no rating is not a score', () => {
    const [admin] = departmentRecords(rows, () => SHANGHAI).departments;
    expect([admin!.ratings, admin!.ratingSum]).toEqual([4, 12]);
    expect(admin!.lowest).toEqual([{ rating: 1, comment: 'wrong form' }, { rating: 2, comment: '拖了一天' }]);
  });

  it('passes the promises through and says nothing for an empty period', () => {
    expect(departmentRecords(rows, () => SHANGHAI).promises).toEqual({ checked: 3, kept: 1, broken: 1 });
    expect(departmentRecords({ received: [], resolved: [], overdue: [], promises: { checked: 0, kept: 0, broken: 0 } }, () => SHANGHAI)).toEqual({ departments: [], promises: { checked: 0, kept: 0, broken: 0 } });
  });
});
