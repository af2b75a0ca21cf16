// Use case: the digest of one person's line for one period. A manager gets each rep below
// them (recursively: a manager of managers gets each team and the total); anyone else gets
// their own funnel only. People are counted where the org file puts them at build time.
import type { OrgDirectory, Person } from '../org/org.ts';
import { diagnose } from './diagnosis.ts';
import { SERIES_WEEKS, type Digest, type DigestSource, type RepRow, type TeamRow } from './digest.ts';
import { addFigures, emptyFigures } from './figures.ts';
import { dayOf, weekPeriod, type DigestPeriod } from './period.ts';
import { addDays } from '../time/working-days.ts';

/** Customers at risk listed in a digest (the counts cover all of them). */
export const AT_RISK_LISTED = 25;

export interface BuildDigestOptions {
  source: DigestSource;
  directory: OrgDirectory;
  recipient: Person;
  period: DigestPeriod;
  now: Date;
  /** One of a slot's digests, all built as of `now`: figures from one org-wide pass (batch-figures.ts). */
  batch?: boolean;
}

export interface Line {
  scope: 'line' | 'self';
  /** Everyone counted, each with the manager whose team they are in. */
  members: { person: Person; teamLeadId: string }[];
}

/** The recipient's line: everyone below a manager (and the manager, who may hold customers too); a rep alone otherwise. */
export function lineOf(directory: OrgDirectory, recipient: Person): Line {
  const below = directory.people.filter((p) => p.id !== recipient.id && directory.isAbove(recipient, p));
  if (!directory.effectiveRoles(recipient).has('manager')) return { scope: 'self', members: [{ person: recipient, teamLeadId: recipient.managerId ?? recipient.id }] };
  return {
    scope: 'line',
    members: [{ person: recipient, teamLeadId: recipient.id }, ...below.map((p) => ({ person: p, teamLeadId: p.managerId ?? recipient.id }))],
  };
}

/** The departments `person` heads (their digest holds those departments' record). */
export function headedDepartments(directory: OrgDirectory, person: Person): string[] {
  return directory.org.departments.filter((d) => d.headId === person.id).map((d) => d.id);
}

/**
 * Whether a scheduled digest has something to say to `person`: a rep's own funnel, a
 * manager's line with someone in it, or the departments they head (a functional
 * department's head with nobody below them gets its record). A manager with nobody below
 * them and no department gets none (`digest` says why on demand).
 */
export function hasScheduledDigest(directory: OrgDirectory, person: Person): boolean {
  const line = lineOf(directory, person);
  return line.scope === 'self' || line.members.length > 1 || headedDepartments(directory, person).length > 0;
}

export async function buildDigest(o: BuildDigestOptions): Promise<Digest> {
  const { source, directory, recipient, period, now, batch } = o;
  const line = lineOf(directory, recipient);
  const ids = line.members.map((m) => m.person.id);
  const weeks = Array.from({ length: SERIES_WEEKS }, (_, i) => weekPeriod(addDays(dayOf(period.from, directory.org.timezone), -7 * (SERIES_WEEKS - 1 - i)), directory.org.timezone));
  const query = weeks.map((w) => ({ key: w.key, from: w.from, to: w.to }));
  const [figures, atRisk] = await Promise.all([source.figures({ personIds: ids, period, now, weeks: query, batch }), source.atRisk({ personIds: ids, now, limit: AT_RISK_LISTED })]);
  const of = (id: string) => figures.get(id) ?? emptyFigures(query);

  // Teams: each lead with the members counted under them. A manager who holds customers
  // is counted in their own team; a lead's team figures are its members', not recursive.
  const teams = new Map<string, string[]>();
  for (const m of line.members) {
    teams.set(m.teamLeadId, [...(teams.get(m.teamLeadId) ?? []), m.person.id]);
  }
  const teamRows: TeamRow[] = [...teams].map(([leadId, memberIds]) => {
    const total = memberIds.map(of).reduce(addFigures, emptyFigures());
    return { leadId, memberIds, figures: total, diagnosis: diagnose(total.stages) };
  });
  const teamOf = new Map(teamRows.flatMap((t) => t.memberIds.map((id) => [id, t] as const)));
  const reps: RepRow[] = line.members
    // Reps, and anyone else who holds customers or moved some (a manager may): not managers with empty books.
    .filter((m) => line.scope === 'self' || m.person.roles.includes('rep') || hasAny(of(m.person.id)))
    .map((m) => {
      const f = of(m.person.id);
      const team = teamOf.get(m.person.id)!;
      return { personId: m.person.id, teamLeadId: team.leadId, figures: f, diagnosis: diagnose(f.stages), vsTeam: diagnose(f.stages, team.figures.stages) };
    });
  const total = reps.map((r) => r.figures).reduce(addFigures, emptyFigures());
  return {
    recipientId: recipient.id,
    scope: line.scope,
    period,
    builtAt: now,
    reps,
    teams: line.scope === 'line' ? teamRows.filter((t) => t.memberIds.some((id) => reps.some((r) => r.personId === id))) : [],
    total: { figures: total, diagnosis: diagnose(total.stages) },
    atRisk,
    // The whole line's weeks (a manager's own claims too, as the trend always counted).
    series: ids.map(of).reduce(addFigures, emptyFigures(query)).weeks,
  };
}

function hasAny(f: ReturnType<typeof emptyFigures>): boolean {
  return Object.values(f.stages).some((n) => n > 0) || Object.values(f.moves).some((n) => n > 0);
}
