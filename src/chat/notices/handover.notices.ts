// Renders the handovers capability's notices (core/handovers/handover.notices.ts) for their recipient.
import { personName } from '../customer-format.ts';
import { t } from '../i18n.ts';
import type { NoticeRenderers } from '../notices.ts';
import { reply, type ReplyButton } from '../reply.ts';

export const HANDOVER_NOTICE_RENDERERS = {
  'handover.started': (n, { directory, locale }) =>
    reply(t(locale, 'handover.noticeStarted', { leaver: personName(directory, n.leaverId, locale), by: personName(directory, n.byPersonId, locale), lastDay: n.lastDay })),
  'handover.stepRecorded': (n, { directory, locale }) =>
    reply(t(locale, 'handover.noticeStep', { by: personName(directory, n.byPersonId, locale), name: n.customerName, part: t(locale, `part.${n.part}`), completed: n.completed }), [], n.completed ? 'success' : 'info'),
  'handover.prompt': (n, { locale }) => {
    const text = t(locale, 'handover.prompt', { days: n.daysLeft, calls: n.counts.call, visits: n.counts.visit, notes: n.counts.note });
    const buttons: ReplyButton[] = n.steps
      .filter((s) => s.kind !== 'note')
      .slice(0, 20)
      .map((s) => ({ label: `${t(locale, s.kind === 'call' ? 'handover.callDone' : 'handover.visitDone')}: ${s.customerName}`, action: 'handover.confirm', value: { itemId: s.itemId } }));
    return reply(text, [
      { kind: 'text', text },
      { kind: 'list', items: n.steps.map((s) => t(locale, 'handover.promptLine', { name: s.customerName, kind: t(locale, `kindStep.${s.kind}`), visitDay: s.visitDay ?? '' })) },
      ...(buttons.length ? [{ kind: 'actions' as const, buttons }] : []),
      { kind: 'context', text: t(locale, 'handover.promptHint') },
    ]);
  },
  'handover.progress': (n, { directory, locale }) => reply(t(locale, 'handover.progress', { leaver: personName(directory, n.leaverId, locale), done: n.done, total: n.total, days: n.daysLeft })),
  'handover.overdue': (n, { directory, locale }) => {
    const text = t(locale, 'handover.overdue', { name: n.customerName, leaver: personName(directory, n.leaverId, locale), successor: personName(directory, n.successorId, locale), dueDay: n.dueDay });
    return reply(text, [
      { kind: 'text', text },
      {
        kind: 'actions',
        buttons: [
          { label: t(locale, 'handover.extend'), action: 'handover.extend', value: { itemId: n.itemId } },
          { label: t(locale, 'handover.transferNow'), action: 'handover.transferNow', value: { itemId: n.itemId }, style: 'danger' },
        ],
      },
    ], 'warning');
  },
  'handover.incomplete': (n, { directory, locale }) =>
    reply(t(locale, 'handover.incomplete', { name: n.customerName, leaver: personName(directory, n.leaverId, locale), successor: personName(directory, n.successorId, locale) }), [], 'warning'),
  'handover.ownerLeft': (n, { directory, locale }) =>
    reply(t(locale, 'handover.ownerLeft', { name: personName(directory, n.leaverId, locale), count: n.count, leaver: n.leaverId }), [], 'warning'),
} satisfies NoticeRenderers<`handover.${string}`>;
