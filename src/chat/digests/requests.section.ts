// The digest's service-requests section (issue 15, point 3): for a manager, the record of the
// departments serving their line's requests, and the promises their line made to customers;
// for a department head, the record of the requests their department received. Each
// department: received, resolved and the share within target, breaches, the median first
// response in its working hours, ratings with the lowest comments (core/requests/request-digest.ts),
// and the pauses the pause audit flagged (DigestSource.flaggedPauses).
import { departmentRecords, type DepartmentRecord, type RequestDigestRows } from '../../core/requests/request-digest.ts';
import { departmentSchedule } from '../../core/time/working-time.ts';
import type { Locale, OrgDirectory } from '../../core/org/org.ts';
import { t } from '../i18n.ts';
import type { ReplyBlock } from '../reply.ts';
import type { DigestSection } from './sections.ts';

const HOUR = 3_600_000;

function departmentLines(directory: OrgDirectory, locale: Locale, departments: DepartmentRecord[], flagged: ReadonlyMap<string, number>): ReplyBlock[] {
  const nameOf = (d: DepartmentRecord) => directory.department(d.departmentId)?.name ?? d.departmentId;
  const blocks: ReplyBlock[] = [];
  blocks.push({
    kind: 'list',
    items: departments.map((d) =>
      t(locale, 'request.digest.line', {
        department: nameOf(d),
        received: d.received,
        resolved: d.resolved,
        share: d.resolved ? Math.round((100 * d.onTime) / d.resolved) : 0,
        breaches: d.breaches,
        firstResponse: d.firstResponseMedianMs === undefined ? t(locale, 'none') : t(locale, 'request.digest.hours', { hours: (d.firstResponseMedianMs / HOUR).toFixed(1) }),
        rating: d.ratings ? `${(d.ratingSum / d.ratings).toFixed(1)}/5 (${d.ratings})` : t(locale, 'none'),
      }),
    ),
  });
  // The pause audit's flags (a pause right after the requester's comment, or past maxPause).
  const pauses = departments.filter((d) => flagged.get(d.departmentId)).map((d) => `${nameOf(d)} ${flagged.get(d.departmentId)}`);
  blocks.push({ kind: 'context', text: t(locale, 'digest.flaggedPauses', { list: pauses.length ? pauses.join('; ') : '0' }) });
  const lowest = departments.flatMap((d) => d.lowest.map((l) => `${nameOf(d)} ${l.rating}/5 “${l.comment}”`));
  if (lowest.length) blocks.push({ kind: 'context', text: t(locale, 'request.digest.lowest', { comments: lowest.join('; ') }) });
  return blocks;
}

export const requestsSection: DigestSection = {
  id: 'requests',
  async build({ digest, directory, locale, services }) {
    const { from, to } = digest.period;
    const record = (rows: RequestDigestRows) => departmentRecords(rows, (id) => departmentSchedule(directory.org, id));
    const chunks: ReplyBlock[][] = [];
    // A head: what their department received.
    const headed = directory.org.departments.filter((d) => d.headId === digest.recipientId).map((d) => d.id);
    if (headed.length) {
      const scope = { departmentIds: headed };
      const [rows, flagged] = await Promise.all([services.requests.digestRows(scope, from, to), services.digests.flaggedPauses({ scope, from, to })]);
      const own = record(rows);
      if (own.departments.length) chunks.push([{ kind: 'text', text: t(locale, 'request.digest.headTitle') }, ...departmentLines(directory, locale, own.departments, flagged)]);
    }
    // The line: the departments that served its requests, and its promises to customers.
    const scope = { requesterIds: [digest.recipientId, ...digest.reps.map((r) => r.personId)] };
    const [rows, flagged] = await Promise.all([services.requests.digestRows(scope, from, to), services.digests.flaggedPauses({ scope, from, to })]);
    const line = record(rows);
    const { checked, kept, broken } = line.promises;
    if (line.departments.length || checked + kept + broken) {
      const blocks: ReplyBlock[] = [{ kind: 'text', text: t(locale, 'request.digest.title') }];
      if (line.departments.length) blocks.push(...departmentLines(directory, locale, line.departments, flagged));
      if (checked + kept + broken) blocks.push({ kind: 'context', text: t(locale, 'request.digest.promises', { checked, kept, broken }) });
      chunks.push(blocks);
    }
    return chunks;
  },
};
