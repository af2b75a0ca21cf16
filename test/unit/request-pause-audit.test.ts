// The pause audit (core/requests/pause-audit.ts): "waiting on requester" set within minutes
// after the requester's own comment (they had just answered), or a pause longer than the
// catalog allows in working time, is flagged to the head — the clock must not be stopped to
// hide a breach.
import { describe, expect, it } from 'vitest';
import { pauseFlags, PAUSE_AFTER_COMMENT_MS } from '../../src/core/requests/pause-audit.ts';
import type { WorkingSchedule } from '../../src/core/time/working-time.ts';

const SHANGHAI: WorkingSchedule = { timezone: 'Asia/Shanghai', start: '09:00', end: '18:00', days: ['mon', 'tue', 'wed', 'thu', 'fri'] };
const at = (iso: string) => new Date(iso).getTime();
const H = 3600_000;

describe('pauseFlags', () => {
  it('flags a pause set within a few minutes after the requester’s last comment', () => {
    const comment = at('2026-03-02T10:00:00+08:00');
    expect(pauseFlags({ pausedAt: comment + 2 * 60_000, lastRequesterCommentAt: comment, now: comment + 2 * 60_000, maxPauseMs: 16 * H, schedule: SHANGHAI })).toEqual(['soonAfterComment']);
    expect(pauseFlags({ pausedAt: comment + PAUSE_AFTER_COMMENT_MS + 1, lastRequesterCommentAt: comment, now: comment + PAUSE_AFTER_COMMENT_MS + 1, maxPauseMs: 16 * H, schedule: SHANGHAI })).toEqual([]);
    expect(pauseFlags({ pausedAt: comment, lastRequesterCommentAt: undefined, now: comment, maxPauseMs: 16 * H, schedule: SHANGHAI })).toEqual([]);
  });

  it('flags a pause longer than the catalog allows, counted in working time (a weekend is free)', () => {
    const paused = at('2026-03-06T17:00:00+08:00');
    // Fri 17:00 → Mon 10:00 is 2 working hours.
    expect(pauseFlags({ pausedAt: paused, lastRequesterCommentAt: undefined, now: at('2026-03-09T10:00:00+08:00'), maxPauseMs: 2 * H, schedule: SHANGHAI })).toEqual([]);
    expect(pauseFlags({ pausedAt: paused, lastRequesterCommentAt: undefined, now: at('2026-03-09T10:01:00+08:00'), maxPauseMs: 2 * H, schedule: SHANGHAI })).toEqual(['tooLong']);
  });
});
