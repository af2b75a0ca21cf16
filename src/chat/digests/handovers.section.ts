// The digest's handovers section: the open handovers of the recipient's line, their
// progress and their overdue steps, and those completed in the period. Nothing when there are none.
import { handoverOverview } from '../../core/handovers/handover-overview.ts';
import { orgToday } from '../../core/handovers/plan-handover.ts';
import { personName } from '../customer-format.ts';
import { listJoin, t } from '../i18n.ts';
import type { ReplyBlock } from '../reply.ts';
import { mayManage } from '../../core/handovers/successors.ts';
import type { DigestSection } from './sections.ts';

export const handoversSection: DigestSection = {
  id: 'handovers',
  async build({ digest, directory, locale, services }) {
    const actor = directory.person(digest.recipientId);
    if (!actor || digest.scope !== 'line') return [];
    const [open, completed] = await Promise.all([
      handoverOverview({ store: services.handovers, directory, actor, today: orgToday(directory, digest.builtAt) }),
      services.digests.handoversCompleted({ from: digest.period.from, to: digest.period.to }),
    ]);
    // Completed: those of the reader's line (whose handovers they may manage), as the open ones.
    const done = completed.filter((h) => mayManage(directory, actor, h.leaverId));
    if (!open.length && !done.length) return [];
    const blocks: ReplyBlock[] = [{ kind: 'text', text: t(locale, 'handover.digestTitle') }];
    if (open.length) blocks.push({ kind: 'list', items: open.map((p) => t(locale, 'handover.digestLine', { leaver: personName(directory, p.handover.leaverId, locale), done: p.done, total: p.total, overdue: p.overdue, lastDay: p.handover.lastDay })) });
    blocks.push({ kind: 'context', text: t(locale, 'digest.handoversCompleted', { count: done.length, names: done.length ? `: ${listJoin(locale, done.map((h) => personName(directory, h.leaverId, locale)))}` : '' }) });
    return [blocks];
  },
};
