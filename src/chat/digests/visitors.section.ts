// The digest's visitors section: the period's visits hosted (or left) in the reader's line —
// how many, the median minutes until a host took charge, the visits nobody took, and the
// walk-ins whose company became a customer after the visit.
import { visitFigures } from '../../core/visitors/expect-visitor.ts';
import { dateTimeText, personName } from '../customer-format.ts';
import { t } from '../i18n.ts';
import type { ReplyBlock } from '../reply.ts';
import type { DigestSection } from './sections.ts';

export const visitorsSection: DigestSection = {
  id: 'visitors',
  async build({ digest, directory, locale, services }) {
    const line = new Set([digest.recipientId, ...digest.reps.map((r) => r.personId)]);
    const all = await services.visits.list(digest.period.from, digest.period.to, 500);
    const visits = all.filter((v) => line.has(v.takenById ?? v.hostId ?? ''));
    if (visits.length === 0) return [];
    const { medianMinutes, untaken } = visitFigures(visits);
    const median = medianMinutes === undefined ? t(locale, 'none') : t(locale, 'visitor.minutes', { n: Math.round(medianMinutes) });
    const blocks: ReplyBlock[] = [{ kind: 'text', text: t(locale, 'visitor.digest.line', { count: visits.length, median, untaken }) }];
    const claimed = await services.digests.walkInsClaimed(visits.map((v) => v.id));
    blocks.push({ kind: 'context', text: t(locale, 'digest.walkInsClaimed', { count: claimed.size }) });
    const missed = visits.filter((v) => !v.takenAt);
    if (missed.length) {
      blocks.push({ kind: 'list', items: missed.slice(0, 10).map((v) => t(locale, 'visitor.digest.missed', { at: dateTimeText(directory, v.createdAt, locale).slice(0, 16), company: v.company, host: personName(directory, v.hostId, locale) })) });
    }
    return [blocks];
  },
};
