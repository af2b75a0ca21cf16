// Renders the customers capability's notices (core/customers/customer.notices.ts) for their
// recipient, in their language, when the job that carries one is delivered.
import type { Locale, OrgDirectory } from '../../core/org/org.ts';
import { dateText, dateTimeText, personName } from '../customer-format.ts';
import { hasMessage, messageFor, t, type MessageKey } from '../i18n.ts';
import { reply, type Reply, type ReplyBlock } from '../reply.ts';
import type { NoticeOf } from '../../core/notices.ts';
import type { NoticeReader, NoticeRenderers } from '../notices.ts';

/** Reasons an arbiter can pick with one press; the text is stored in the arbiter's language. */
export const TRANSFER_PRESETS = ['noFollowUp', 'firstContact'] as const;

/** A follow-up kind in the reader's language; a kind this version doesn't know, as stored. */
function kindText(locale: Locale, kind: string): string {
  return hasMessage(`kind.${kind}`) ? messageFor(locale, `kind.${kind}` as MessageKey, {}) : kind;
}

const namer = (directory: OrgDirectory, locale: Locale) => (id: string | undefined) => personName(directory, id, locale);

export const CUSTOMER_NOTICE_RENDERERS = {
  'customer.followUpLogged': (notice, { directory, locale }) =>
    reply(t(locale, 'notice.followUp', { by: namer(directory, locale)(notice.byPersonId), name: notice.customerName, kind: kindText(locale, notice.kind), note: notice.note })),

  'customer.nearDuplicateClaimed': (notice, { directory, locale }) =>
    reply(t(locale, 'notice.nearDuplicate', { by: namer(directory, locale)(notice.byPersonId), name: notice.customerName, other: notice.similarTo }), [], 'warning'),

  'customer.contested': renderContested,

  'customer.contestDecided': (notice, { directory, locale }) => {
    const name = namer(directory, locale);
    const text = t(locale, 'notice.contestDecided', { name: notice.customerName, decision: t(locale, `decision.${notice.decision}`), owner: name(notice.ownerId) });
    const blocks: ReplyBlock[] = [{ kind: 'text', text }];
    if (notice.reason) blocks.push({ kind: 'text', text: t(locale, 'contest.reason', { reason: notice.reason }) });
    blocks.push({ kind: 'context', text: t(locale, 'contest.decidedBy', { by: name(notice.byPersonId) }) });
    return reply(text, blocks);
  },

  'customer.releaseWarning': renderReleaseWarning,

  'customer.released': (notice, { locale }) =>
    reply(t(locale, notice.reason === 'no_follow_up' ? 'notice.autoReleased' : 'notice.released', { name: notice.customerName }), [], 'warning'),

  'customer.extensionRequested': renderExtensionRequested,

  'customer.extensionDecided': (notice, { directory, locale }) =>
    reply(
      t(locale, notice.approved ? 'notice.extensionApproved' : 'notice.extensionDenied', {
        by: namer(directory, locale)(notice.byPersonId),
        name: notice.customerName,
        date: dateText(directory, new Date(notice.releaseAt), locale),
      }),
      [],
      notice.approved ? 'success' : 'warning',
    ),
} satisfies NoticeRenderers<`customer.${string}`>;

/** What the arbiter needs to decide: both parties, both times, the history, the follow-ups. */
function renderContested(n: NoticeOf<'customer.contested'>, { directory, locale }: NoticeReader): Reply {
  const name = namer(directory, locale);
  const when = (iso: string | undefined) => dateTimeText(directory, iso ? new Date(iso) : undefined, locale);
  const text = t(locale, 'notice.contested', { challenger: name(n.challengerId), name: n.customerName, owner: name(n.ownerId) });
  const history = n.history.map((e) =>
    t(locale, 'history.line', {
      at: when(e.at),
      kind: hasMessage(`ownership.${e.kind}`) ? messageFor(locale, `ownership.${e.kind}` as MessageKey, {}) : e.kind,
      who: [e.fromPersonId, e.toPersonId].filter(Boolean).map(name).join(' → ') || name(e.byPersonId),
      reason: e.reason ?? '',
    }),
  );
  const followUps = n.followUps.map((f) =>
    t(locale, 'followUp.line', { at: when(f.at), by: name(f.personId), kind: kindText(locale, f.kind), note: f.note }),
  );
  const decide = (decision: string, extra: Record<string, string> = {}) => ({ contestId: n.contestId, decision, ...extra });
  return reply(
    text,
    [
      { kind: 'text', text },
      {
        kind: 'fields',
        fields: [
          { label: t(locale, 'field.owner'), value: name(n.ownerId) },
          { label: t(locale, 'field.ownerSince'), value: when(n.ownerSince) },
          { label: t(locale, 'field.challenger'), value: name(n.challengerId) },
          { label: t(locale, 'field.contestedAt'), value: when(n.contestedAt) },
          { label: t(locale, 'field.stage'), value: `${n.stage}%` },
          { label: t(locale, 'field.contest'), value: n.contestId },
        ],
      },
      { kind: 'text', text: t(locale, 'contest.history') },
      { kind: 'list', items: history.length ? history : [t(locale, 'none')] },
      { kind: 'text', text: t(locale, 'contest.followUps') },
      followUps.length ? { kind: 'list', items: followUps } : { kind: 'context', text: t(locale, 'contest.noFollowUps') },
      {
        kind: 'actions',
        buttons: [
          { label: t(locale, 'btn.keep'), action: 'contest.decide', value: decide('keep'), style: 'primary' },
          ...TRANSFER_PRESETS.map((preset) => ({
            label: t(locale, 'btn.transferPreset', { reason: t(locale, `preset.${preset}`) }),
            action: 'contest.decide' as const,
            value: decide('transfer', { preset }),
            style: 'danger' as const,
          })),
        ],
      },
      { kind: 'context', text: t(locale, 'contest.howToDecide', { id: n.contestId }) },
    ],
    'warning',
  );
}

/**
 * The owner's warning: the three buttons while it is open; after a change (pool-messages.ts)
 * the original sentence, what became of it, and only the buttons that still make sense.
 */
function renderReleaseWarning(notice: NoticeOf<'customer.releaseWarning'>, { directory, locale }: NoticeReader): Reply {
  const text = t(locale, 'notice.releaseWarning', { name: notice.customerName, date: dateText(directory, new Date(notice.releaseAt), locale) });
  const value = { customerId: notice.customerId };
  const logHint = { label: t(locale, 'btn.logFollowUp'), action: 'pool.logHint', value, style: 'primary' } as const;
  const releaseNow = { label: t(locale, 'btn.releaseNow'), action: 'pool.releaseNow', value, style: 'danger' } as const;
  const o = notice.outcome;
  if (!o) {
    return reply(text, [{ kind: 'text', text }, { kind: 'actions', buttons: [logHint, releaseNow, { label: t(locale, 'btn.askExtension'), action: 'pool.askExtension', value }] }], 'warning');
  }
  const name = namer(directory, locale);
  const date = (iso: string) => dateText(directory, new Date(iso), locale);
  const [state, tone, stillOpen] = ((): [string, Reply['tone'], boolean] => {
    switch (o.state) {
      case 'extensionAsked':
        return [t(locale, 'warning.extensionAsked', { approver: name(o.approverId) }), 'warning', true];
      case 'extensionDenied':
        return [t(locale, 'warning.extensionDenied', { by: name(o.byPersonId) }), 'warning', true];
      case 'extended':
        return [t(locale, 'warning.extended', { by: name(o.byPersonId), date: date(o.releaseAt) }), 'success', false];
      case 'followedUp':
        return [t(locale, 'warning.followedUp', { date: date(o.releaseAt) }), 'success', false];
      case 'released':
        return [t(locale, 'warning.released'), 'info', false];
      case 'transferred':
        return [t(locale, 'warning.transferred', { owner: name(o.toPersonId) }), 'info', false];
    }
  })();
  const blocks: ReplyBlock[] = [{ kind: 'text', text }, { kind: 'text', text: state }];
  if (stillOpen) blocks.push({ kind: 'actions', buttons: [logHint, releaseNow] });
  return reply(`${notice.customerName}: ${state}`, blocks, tone);
}

/** The approver's request: Approve / Deny while it is open, then how it ended, without buttons. */
function renderExtensionRequested(notice: NoticeOf<'customer.extensionRequested'>, { directory, locale }: NoticeReader): Reply {
  const text = t(locale, 'notice.extensionRequested', {
    owner: namer(directory, locale)(notice.ownerId),
    name: notice.customerName,
    date: dateText(directory, new Date(notice.releaseAt), locale),
    until: dateText(directory, new Date(notice.until), locale),
  });
  const o = notice.outcome;
  if (!o) {
    return reply(text, [
      { kind: 'text', text },
      {
        kind: 'actions',
        buttons: [
          { label: t(locale, 'btn.approve'), action: 'pool.decideExtension', value: { requestId: notice.requestId, decision: 'approve' }, style: 'primary' },
          { label: t(locale, 'btn.deny'), action: 'pool.decideExtension', value: { requestId: notice.requestId, decision: 'deny' } },
        ],
      },
    ]);
  }
  const by = o.state === 'void' ? '' : namer(directory, locale)(o.byPersonId);
  const state =
    o.state === 'approved'
      ? t(locale, 'extensionAsk.approved', { by, until: dateText(directory, new Date(notice.until), locale) })
      : o.state === 'denied'
        ? t(locale, 'extensionAsk.denied', { by })
        : t(locale, `extensionAsk.void.${o.why}`);
  return reply(`${notice.customerName}: ${state}`, [{ kind: 'text', text }, { kind: 'text', text: state }], o.state === 'approved' ? 'success' : 'info');
}
