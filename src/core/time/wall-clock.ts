// The org's wall clock: what clocks in an IANA time zone show at an instant, and back. Pure
// (Intl only), for the features that read or write times as the org reads them: spreadsheet
// dates, recurring slots.

export interface WallClock {
  year: number;
  /** 1-12 */
  month: number;
  day: number;
  /** 0-23 */
  hour: number;
  minute: number;
  second: number;
}

const formatters = new Map<string, Intl.DateTimeFormat>();
function formatterFor(timeZone: string): Intl.DateTimeFormat {
  let f = formatters.get(timeZone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', {
      timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      second: '2-digit',
    });
    formatters.set(timeZone, f);
  }
  return f;
}

/** The wall clock in `timeZone` at `instant` (ms); throws RangeError on an unknown zone. */
export function wallClock(instant: number, timeZone: string): WallClock {
  const parts: Record<string, number> = {};
  for (const p of formatterFor(timeZone).formatToParts(new Date(instant))) if (p.type !== 'literal') parts[p.type] = Number(p.value);
  return { year: parts.year!, month: parts.month!, day: parts.day!, hour: parts.hour!, minute: parts.minute!, second: parts.second! };
}

/** The wall clock read as if it were UTC: plain calendar arithmetic, no zone rules. */
export function wallClockAsUtc(w: WallClock): number {
  return Date.UTC(w.year, w.month - 1, w.day, w.hour, w.minute, w.second);
}

/** Milliseconds the zone is ahead of UTC at `instant`. */
export function zoneOffsetMs(instant: number, timeZone: string): number {
  return wallClockAsUtc(wallClock(instant, timeZone)) - Math.floor(instant / 1000) * 1000;
}

/**
 * The instants (ms, ascending) at which `timeZone`'s clocks show `w`: none in a spring-forward
 * gap, two in a fall-back hour, else one. Tried with the zone's offsets half a day either side.
 */
export function instantsOf(w: WallClock, timeZone: string): number[] {
  const local = wallClockAsUtc(w);
  const offsets = new Set([local - 14 * 3600_000, local + 14 * 3600_000].map((t) => zoneOffsetMs(t, timeZone)));
  return [...offsets]
    .map((offset) => local - offset)
    .filter((t) => zoneOffsetMs(t, timeZone) === local - t)
    .sort((a, b) => a - b);
}
