// The digest's service-requests section: the departments' deadline record for the requests
// the reader's line made — resolved in the period, how many on time, how many still open past
// their deadline, the average rating — and the promises to customers settled kept or broken.
import { t } from '../i18n.ts';
import type { ReplyBlock } from '../reply.ts';
import type { DigestSection } from './sections.ts';

export const requestsSection: DigestSection = {
  id: 'requests',
  async build({ digest, directory, locale, services }) {
    const line = [digest.recipientId, ...digest.reps.map((r) => r.personId)];
    const record = await services.requests.digestRecord(line, digest.period.from, digest.period.to);
    const { kept, broken } = record.promises;
    if (record.departments.length === 0 && kept + broken === 0) return [];
    const blocks: ReplyBlock[] = [{ kind: 'text', text: t(locale, 'request.digest.title') }];
    if (record.departments.length) {
      blocks.push({
        kind: 'list',
        items: record.departments.map((d) =>
          t(locale, 'request.digest.line', {
            department: directory.department(d.departmentId)?.name ?? d.departmentId,
            resolved: d.resolved,
            onTime: d.onTime,
            overdue: d.overdue,
            rating: d.ratings ? `${(d.ratingSum / d.ratings).toFixed(1)}/5 (${d.ratings})` : t(locale, 'none'),
          }),
        ),
      });
    }
    if (kept + broken) blocks.push({ kind: 'context', text: t(locale, 'request.digest.promises', { kept, broken }) });
    return [blocks];
  },
};
