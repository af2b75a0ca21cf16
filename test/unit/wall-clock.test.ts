// The org's wall clock and back: one instant for an ordinary time, none in a spring-forward
// gap, two in a fall-back hour.
import { describe, expect, it } from 'vitest';
import { instantsOf, wallClock } from '../../src/core/time/wall-clock.ts';

const at = (iso: string) => new Date(iso).getTime();

describe('wall clock', () => {
  it('reads an instant in the zone, midnight as hour 0', () => {
    expect(wallClock(at('2026-12-31T16:00:00Z'), 'Asia/Shanghai')).toEqual({ year: 2027, month: 1, day: 1, hour: 0, minute: 0, second: 0 });
  });

  it('finds the instant an ordinary wall-clock time stands for', () => {
    expect(instantsOf({ year: 2026, month: 12, day: 2, hour: 3, minute: 30, second: 0 }, 'Asia/Shanghai')).toEqual([at('2026-12-01T19:30:00Z')]);
  });

  it('finds none in a spring-forward gap and both in a fall-back hour', () => {
    expect(instantsOf({ year: 2026, month: 3, day: 8, hour: 2, minute: 30, second: 0 }, 'America/New_York')).toEqual([]);
    expect(instantsOf({ year: 2026, month: 11, day: 1, hour: 1, minute: 30, second: 0 }, 'America/New_York')).toEqual([
      at('2026-11-01T05:30:00Z'),
      at('2026-11-01T06:30:00Z'),
    ]);
  });
});
