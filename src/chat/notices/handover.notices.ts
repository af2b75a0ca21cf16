// Renders the handovers capability's notices (core/handovers/handover.notices.ts) for their recipient.
import { personName } from '../customer-format.ts';
import { t } from '../i18n.ts';
import type { NoticeRenderers } from '../notices.ts';
import { reply } from '../reply.ts';

export const HANDOVER_NOTICE_RENDERERS = {
  'handover.started': (n, { directory, locale }) =>
    reply(t(locale, 'handover.noticeStarted', { leaver: personName(directory, n.leaverId, locale), by: personName(directory, n.byPersonId, locale), lastDay: n.lastDay })),
  'handover.stepRecorded': (n, { directory, locale }) =>
    reply(t(locale, 'handover.noticeStep', { by: personName(directory, n.byPersonId, locale), name: n.customerName, part: t(locale, `part.${n.part}`), completed: n.completed }), [], n.completed ? 'success' : 'info'),
} satisfies NoticeRenderers<`handover.${string}`>;
