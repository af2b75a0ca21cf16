// Renders the handovers capability's notices (core/handovers/handover.notices.ts) for their recipient.
import type { Locale } from '../../core/org/org.ts';
import type { OrgRole } from '../../core/handovers/successors.ts';
import { bareName, personName } from '../customer-format.ts';
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
      .flatMap((s): ReplyButton[] => [
        // The leaver's visit without a day: the date picker first.
        ...(s.kind === 'visit' && s.leaver && !s.visitDay ? [{ label: `${t(locale, 'handover.pickVisitDay')}: ${s.customerName}`, action: 'handover.visitDay' as const, value: { itemId: s.itemId } }] : []),
        { label: `${t(locale, s.kind === 'call' ? 'handover.callDone' : 'handover.visitDone')}: ${s.customerName}`, action: 'handover.confirm', value: { itemId: s.itemId } },
      ])
      .slice(0, 20);
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
          { label: t(locale, 'handover.reassign'), action: 'handover.reassign', value: { itemId: n.itemId } },
          { label: t(locale, 'handover.transferNow'), action: 'handover.transferNow', value: { itemId: n.itemId }, style: 'danger' },
        ],
      },
    ], 'warning');
  },
  'handover.incomplete': (n, { directory, locale }) =>
    reply(t(locale, 'handover.incomplete', { name: n.customerName, leaver: personName(directory, n.leaverId, locale), successor: personName(directory, n.successorId, locale) }), [], 'warning'),
  'handover.ownerLeft': (n, { directory, locale }) => {
    const text = t(locale, 'handover.ownerLeft', { name: bareName(directory, n.leaverId), leftOn: directory.person(n.leaverId)?.leftOn, count: n.count, visits: n.visits, contests: n.contests, duty: n.duty, requests: n.requests, leaver: n.leaverId });
    // Customers to hand over: the plan is one press away (built then, from what there is then), its Start the next.
    return n.count ? reply(text, [{ kind: 'text', text }, { kind: 'actions', buttons: [{ label: t(locale, 'handover.showPlan'), action: 'handover.showPlan', value: { leaverId: n.leaverId }, style: 'primary' }] }], 'warning') : reply(text, [], 'warning');
  },
  'handover.requests': (n, { directory, locale }) => {
    const text = t(locale, 'handover.requestsMoved', {
      leaver: personName(directory, n.leaverId, locale),
      list: n.requests.map((r) => `#${r.number} → ${r.toPersonId ? personName(directory, r.toPersonId, locale) : t(locale, 'handover.requestNobody')}`).join(locale === 'en' ? ', ' : '，'),
    });
    // The head assigns each one nobody else could take: a member of the department, or themself (anyone, when the leaver was its only member).
    const buttons: ReplyButton[] = n.requests.flatMap((r) =>
      r.requestId && r.version && r.departmentId
        ? [{ label: t(locale, 'handover.assignButton', { number: r.number }), action: 'handover.assignRequest' as const, value: { requestId: r.requestId, version: String(r.version), number: String(r.number), departmentId: r.departmentId, leaverId: n.leaverId } }]
        : [],
    );
    return buttons.length ? reply(text, [{ kind: 'text', text }, { kind: 'actions', buttons: buttons.slice(0, 20) }], 'warning') : reply(text);
  },
  'handover.orgEdits': (n, { directory, locale }) =>
    reply(t(locale, 'handover.orgEdits', { leaver: personName(directory, n.leaverId, locale), edits: orgEdits(locale, n.roles) }), [], 'warning'),
  'handover.visitReminder': (n, { directory, locale }) => {
    const text = t(locale, 'handover.visitReminder', { name: n.customerName, day: n.visitDay, other: personName(directory, n.withId, locale), tomorrow: n.when === 'dayBefore' });
    return n.when === 'morning' ? reply(text, [{ kind: 'text', text }, { kind: 'actions', buttons: [{ label: t(locale, 'handover.visitDone'), action: 'handover.confirm', value: { itemId: n.itemId }, style: 'primary' }] }]) : reply(text);
  },
  'handover.changed': (n, { directory, locale }) => {
    const by = personName(directory, n.byPersonId, locale);
    const leaver = personName(directory, n.leaverId, locale);
    const c = n.change;
    return reply(
      c.kind === 'reassigned'
        ? t(locale, 'handover.changedReassigned', { by, name: c.customerName, from: personName(directory, c.fromId, locale), to: personName(directory, c.toId, locale) })
        : c.kind === 'lastDay'
          ? t(locale, 'handover.changedLastDay', { by, leaver, lastDay: c.lastDay })
          : t(locale, 'handover.changedCancelled', { by, leaver }),
    );
  },
  'handover.successorLeft': (n, { directory, locale }) => {
    const text = t(locale, 'handover.successorLeft', { name: n.customerName, gone: personName(directory, n.goneId, locale), next: n.newId ? personName(directory, n.newId, locale) : '' });
    return reply(text, [{ kind: 'text', text }, { kind: 'actions', buttons: [{ label: t(locale, 'handover.reassign'), action: 'handover.reassign', value: { itemId: n.itemId } }] }], 'warning');
  },
} satisfies NoticeRenderers<`handover.${string}`>;

/** The org-file edits a leaver's roles ask for, as one sentence. */
export function orgEdits(locale: Locale, roles: readonly OrgRole[]): string {
  return roles.map((r) => (r.kind === 'duty' ? t(locale, 'orgRole.duty', r) : r.kind === 'orgArbiter' ? t(locale, 'orgRole.orgArbiter') : t(locale, `orgRole.${r.kind}`, r))).join(locale === 'en' ? '; ' : '；');
}
