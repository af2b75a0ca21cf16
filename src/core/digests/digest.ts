// A digest as the core sees it: the figures of each rep of a line (aggregates the database
// computes, never rows in memory), the teams of the line and their totals, the diagnosis of
// each, the customers at risk and the last 12 weeks; and the ports that supply them.
import type { Stage } from '../customers/funnel.ts';
import type { Diagnosis, StageCounts } from './diagnosis.ts';
import type { DigestFrequency, DigestPeriod } from './period.ts';

export const FOLLOW_UP_KINDS = ['call', 'visit', 'meeting', 'message', 'note'] as const;
export type FollowUpKind = (typeof FOLLOW_UP_KINDS)[number];
export type TouchCounts = Record<FollowUpKind, number>;

/** Days without a touch after which a customer counts as untouched. */
export const UNTOUCHED_DAYS = 30;
/** A 50%+ customer untouched this long is at risk. */
export const STALE_OPPORTUNITY_DAYS = 14;
/** A customer returning to the pool within this many days is at risk. */
export const RELEASING_SOON_DAYS = 7;
/** The stage history the conversions are read from. */
export const CONVERSION_DAYS = 90;
/** Weeks in the trend chart. */
export const SERIES_WEEKS = 12;

export interface Moves {
  claims: number;
  advances: number;
  deals: number;
  /** Sum of the deals' amounts (those that gave one). */
  dealAmount: number;
  losses: number;
  releases: number;
  poolClaims: number;
}

export interface RepFigures {
  /** The book now: owned, not lost, by stage. */
  stages: StageCounts;
  /** Of those, untouched for UNTOUCHED_DAYS or more. */
  untouched: StageCounts;
  moves: Moves;
  /** From the stage history of CONVERSION_DAYS, by the stage moved from. */
  conversions: Record<Stage, { advanced: number; lost: number }>;
  touches: { period: TouchCounts; days30: TouchCounts };
  contests: { raised: number; against: number; decided: number };
  nearDuplicates: number;
  atRisk: { releasingSoon: number; staleOpportunities: number };
  /** The trend: the query's weeks, oldest first (empty when none were asked). */
  weeks: WeekFigures[];
}

export interface AtRiskCustomer {
  id: string;
  name: string;
  ownerId: string;
  stage: Stage;
  reason: 'releasingSoon' | 'staleOpportunity';
  releaseAt?: Date;
  lastTouchAt: Date;
}

export interface WeekFigures {
  /** `2026-W02` */
  week: string;
  claims: number;
  advances: number;
  deals: number;
  touches: number;
}

/** The people asked about: a line's ids, or everyone who has rows (the org-wide pass of a batch, batch-figures.ts). */
export type PersonScope = readonly string[] | 'everyone';

export interface FiguresQuery {
  personIds: PersonScope;
  period: { from: Date; to: Date };
  now: Date;
  /** The trend's weeks, oldest first: each person's RepFigures.weeks. */
  weeks: readonly { key: string; from: Date; to: Date }[];
  /**
   * One of a batch of digests built as of the same `now` (a delivery slot's): the figures
   * are computed once for everyone and each line's sliced from them (batch-figures.ts).
   */
  batch?: boolean;
}

/** Implemented by db/repositories/digest.repository.ts: one grouped aggregate per table. */
export interface DigestSource {
  /** Each person's figures (a listed person without any row gets zeros). */
  figures(q: FiguresQuery): Promise<Map<string, RepFigures>>;
  /** At most `limit` customers at risk, soonest release first; the counts are in figures(). */
  atRisk(q: { personIds: readonly string[]; now: Date; limit: number }): Promise<AtRiskCustomer[]>;
  /**
   * Pauses the pause audit flagged in the period (core/requests/pause-audit.ts: paused right
   * after the requester's comment, or longer than the service's maxPause), per department,
   * of the requests of those departments or of those requesters.
   */
  /** Handovers completed in the period (every customer handed over), whose leaver each. */
  handoversCompleted(q: { from: Date; to: Date }): Promise<{ leaverId: string; closedAt: Date }[]>;
  /** Of these visits, the walk-ins (no customer when reported) whose company was claimed after the visit. */
  walkInsClaimed(visitIds: readonly string[]): Promise<Set<string>>;
  flaggedPauses(q: { scope: { departmentIds: readonly string[] } | { requesterIds: readonly string[] }; from: Date; to: Date }): Promise<Map<string, number>>;
}

export interface DigestSettingsStore {
  frequencyOf(personId: string): Promise<DigestFrequency | undefined>;
  /** Everyone who chose a frequency. */
  all(): Promise<Map<string, DigestFrequency>>;
  set(personId: string, frequency: DigestFrequency, at: Date): Promise<void>;
}

export interface RepRow {
  personId: string;
  /** The manager whose team the rep is counted in (as the org file says at build time). */
  teamLeadId: string;
  figures: RepFigures;
  /** Against the seed shape and against the team. */
  diagnosis: Diagnosis;
  vsTeam: Diagnosis;
}

export interface TeamRow {
  leadId: string;
  memberIds: string[];
  figures: RepFigures;
  diagnosis: Diagnosis;
}

export interface Digest {
  recipientId: string;
  /** 'line': the recipient's reps; 'self': a rep's own funnel. */
  scope: 'line' | 'self';
  period: DigestPeriod;
  builtAt: Date;
  reps: RepRow[];
  /** One per manager in the line with reps of their own; a manager of managers sees several. */
  teams: TeamRow[];
  total: { figures: RepFigures; diagnosis: Diagnosis };
  atRisk: AtRiskCustomer[];
  series: WeekFigures[];
}
