// The digest's handovers section: the open handovers of the recipient's line, their
// progress and their overdue steps. Nothing when there are none.
import { handoverOverview } from '../../core/handovers/handover-overview.ts';
import { orgToday } from '../../core/handovers/plan-handover.ts';
import { personName } from '../customer-format.ts';
import { t } from '../i18n.ts';
import type { DigestSection } from './sections.ts';

export const handoversSection: DigestSection = {
  id: 'handovers',
  async build({ digest, directory, locale, services }) {
    const actor = directory.person(digest.recipientId);
    if (!actor || digest.scope !== 'line') return [];
    const open = await handoverOverview({ store: services.handovers, directory, actor, today: orgToday(directory, digest.builtAt) });
    if (!open.length) return [];
    const lines = open.map((p) => t(locale, 'handover.digestLine', { leaver: personName(directory, p.handover.leaverId, locale), done: p.done, total: p.total, overdue: p.overdue, lastDay: p.handover.lastDay }));
    return [[{ kind: 'text', text: t(locale, 'handover.digestTitle') }, { kind: 'list', items: lines }]];
  },
};
