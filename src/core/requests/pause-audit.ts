// The pause audit: a request put into "waiting on requester" within a few minutes after the
// requester's own comment (they had just said what was missing), or paused longer than the
// catalog allows (working time), is flagged to the department head — the clock must not be
// stopped to hide a breach. Pure: the pause use case and the sweep ask it.
import { workingMsBetween, type WorkingSchedule } from '../time/working-time.ts';

/** A pause this soon after the requester's comment is suspect. */
export const PAUSE_AFTER_COMMENT_MS = 5 * 60_000;

export type PauseFlag = 'soonAfterComment' | 'tooLong';

export interface PauseFlagsOptions {
  pausedAt: number;
  lastRequesterCommentAt: number | undefined;
  now: number;
  /** The service's maxPause, in working ms. */
  maxPauseMs: number;
  schedule: WorkingSchedule;
}

export function pauseFlags(o: PauseFlagsOptions): PauseFlag[] {
  const flags: PauseFlag[] = [];
  const c = o.lastRequesterCommentAt;
  if (c !== undefined && o.pausedAt >= c && o.pausedAt - c <= PAUSE_AFTER_COMMENT_MS) flags.push('soonAfterComment');
  if (workingMsBetween(o.pausedAt, o.now, o.schedule) > o.maxPauseMs) flags.push('tooLong');
  return flags;
}
