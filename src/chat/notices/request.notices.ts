// Renders a service request (core/requests/request.notices.ts) for its reader: the
// requester's status, the assignee's DM, the manager's approval, the department channel's
// card — the same request, the status line, the form's values, the deadlines in the
// requester's zone, and the buttons this reader may press now. Every one of these messages
// is replaced in place at each transition, its spent buttons gone.
import type { NoticeOf } from '../../core/notices.ts';
import type { Locale, OrgDirectory } from '../../core/org/org.ts';
import type { RequestAudience, TRequestSnapshot } from '../../core/requests/request.notices.ts';
import { wallClock } from '../../core/time/wall-clock.ts';
import { personName } from '../customer-format.ts';
import { t } from '../i18n.ts';
import type { NoticeRenderers } from '../notices.ts';
import { reply, type Reply, type ReplyBlock, type ReplyButton } from '../reply.ts';

type Snapshot = TRequestSnapshot;

/** "2026-12-09 14:00" in `timeZone`. */
export function zonedTime(iso: string | Date, timeZone: string): string {
  const w = wallClock(typeof iso === 'string' ? Date.parse(iso) : iso.getTime(), timeZone);
  const p = (n: number) => String(n).padStart(2, '0');
  return `${w.year}-${p(w.month)}-${p(w.day)} ${p(w.hour)}:${p(w.minute)}`;
}

export function requestTitle(directory: OrgDirectory, locale: Locale, r: Pick<Snapshot, 'number' | 'serviceName' | 'departmentId'>): string {
  return t(locale, 'request.title', { number: r.number, service: r.serviceName[locale], department: directory.department(r.departmentId)?.name ?? r.departmentId });
}

/** One line saying where the request stands. */
export function requestStatusLine(directory: OrgDirectory, locale: Locale, r: Snapshot): string {
  const name = (id: string | undefined) => personName(directory, id, locale);
  const at = zonedTime(r.at, r.timezone);
  switch (r.status) {
    case 'submitted': {
      const requester = directory.person(r.requesterId);
      return t(locale, 'request.status.submitted', { approver: name(r.approverId ?? (requester ? directory.manager(requester)?.id : undefined)) });
    }
    case 'approved':
      return t(locale, 'request.status.approved', { assignee: name(r.assigneeId) });
    case 'taken':
      return t(locale, 'request.status.taken', { assignee: name(r.assigneeId), at: zonedTime(r.respondedAt ?? r.at, r.timezone) });
    case 'inProgress':
      return t(locale, 'request.status.inProgress', { assignee: name(r.assigneeId) });
    case 'waiting':
      return t(locale, 'request.status.waiting', { assignee: name(r.assigneeId), requester: name(r.requesterId) });
    case 'resolved':
      return t(locale, 'request.status.resolved', { assignee: name(r.assigneeId), at: zonedTime(r.resolvedAt ?? r.at, r.timezone) });
    case 'closed':
      if (r.lastAction === 'autoClosed') return t(locale, 'request.status.autoClosed', { at });
      return t(locale, 'request.status.closed', { by: name(r.lastById), at });
    case 'cancelled':
    case 'declined':
      return t(locale, `request.status.${r.status}`, { by: name(r.lastById), at });
  }
}

const act = (r: Snapshot, action: string, as: RequestAudience) => ({ requestId: r.requestId, version: String(r.version), act: action, as });

/** "Waiting on requester": a form asking what is missing (sent to the requester), then the pause. */
const askMissing = (locale: Locale, r: Snapshot): ReplyButton => ({ label: t(locale, 'request.btn.wait'), action: 'request.wait', value: { requestId: r.requestId, version: String(r.version) } });

/** The buttons `audience` may press on the request as it stands. */
export function requestButtons(locale: Locale, r: Snapshot, audience: RequestAudience): ReplyButton[] {
  const b = (action: string, style?: 'primary' | 'danger'): ReplyButton => ({ label: t(locale, `request.btn.${action}` as 'request.btn.take'), action: 'request.act', value: act(r, action, audience), ...(style ? { style } : {}) });
  switch (audience) {
    case 'requester':
      if (r.status === 'resolved') return [b('confirm', 'primary'), b('reopen')];
      if (r.status === 'waiting') return [b('resume', 'primary'), b('cancel', 'danger')];
      return ['submitted', 'approved', 'taken', 'inProgress'].includes(r.status) ? [b('cancel', 'danger')] : [];
    case 'approver':
      return r.status === 'submitted' ? [b('approve', 'primary'), b('decline', 'danger')] : [];
    case 'channel':
    case 'member':
      return r.status === 'approved' ? [b('take', 'primary')] : [];
    case 'assignee':
      switch (r.status) {
        case 'approved':
          return [b('take', 'primary')];
        case 'taken':
          return [b('start', 'primary'), askMissing(locale, r), b('resolve')];
        case 'inProgress':
          return [askMissing(locale, r), b('resolve', 'primary')];
        case 'waiting':
          return [b('resolve')];
        default:
          return [];
      }
  }
}

export function renderRequest(directory: OrgDirectory, locale: Locale, r: Snapshot, audience: RequestAudience): Reply {
  const name = (id: string | undefined) => personName(directory, id, locale);
  const line = requestStatusLine(directory, locale, r);
  const blocks: ReplyBlock[] = [{ kind: 'header', text: requestTitle(directory, locale, r) }];
  if (r.lastAction === 'submitted' && audience === 'assignee') blocks.push({ kind: 'context', text: t(locale, 'request.new', { requester: name(r.requesterId) }) });
  if (audience === 'approver' && r.status === 'submitted') blocks.push({ kind: 'context', text: t(locale, 'request.approve', { requester: name(r.requesterId) }) });
  if (r.lastAction === 'reassign') blocks.push({ kind: 'context', text: t(locale, 'request.reassigned', { by: name(r.lastById), assignee: name(r.assigneeId) }) });
  blocks.push({ kind: 'text', text: line });
  const due = (iso: string) => t(locale, 'request.due', { at: zonedTime(iso, r.timezone), zone: r.timezone });
  const fields = [
    { label: t(locale, 'request.field.requester'), value: name(r.requesterId) },
    { label: t(locale, 'request.field.assignee'), value: name(r.assigneeId) },
    ...r.fields.map((f) => ({ label: f.label[locale], value: f.value[locale] })),
  ];
  if (r.customerName) fields.push({ label: t(locale, 'request.field.customer'), value: r.customerName });
  if (!['closed', 'cancelled', 'declined', 'resolved'].includes(r.status)) {
    if (!r.respondedAt) fields.push({ label: t(locale, 'request.field.response'), value: due(r.firstResponseDue) });
    fields.push({ label: t(locale, 'request.field.resolution'), value: due(r.resolutionDue) });
  }
  blocks.push({ kind: 'fields', fields });
  const buttons = requestButtons(locale, r, audience);
  if (buttons.length) blocks.push({ kind: 'actions', buttons });
  const done = ['resolved', 'closed'].includes(r.status);
  return reply(`${requestTitle(directory, locale, r)}: ${line}`, blocks, done ? 'success' : r.status === 'waiting' ? 'warning' : 'info');
}

function renderAway(n: NoticeOf<'request.away'>, directory: OrgDirectory, locale: Locale): Reply {
  const text = t(locale, 'request.away.offer', { person: personName(directory, n.personId, locale), from: n.from, to: n.to, count: n.requests.length });
  const blocks: ReplyBlock[] = [{ kind: 'text', text }];
  for (const r of n.requests) {
    blocks.push({ kind: 'text', text: `#${r.number} ${r.serviceName[locale]}` });
    blocks.push({ kind: 'actions', buttons: [{ label: t(locale, 'request.btn.reassign'), action: 'request.reassign', value: { requestId: r.requestId, version: String(r.version) } }] });
  }
  return reply(text, blocks, 'warning');
}

function renderAlert(n: NoticeOf<'request.alert'>, directory: OrgDirectory, locale: Locale): Reply {
  const r = n.request;
  const p = { title: requestTitle(directory, locale, r), target: t(locale, `request.target.${n.target}`), due: t(locale, 'request.due', { at: zonedTime(n.due, r.timezone), zone: r.timezone }) };
  const assignee = personName(directory, r.assigneeId, locale);
  const line =
    n.kind === 'remind'
      ? t(locale, 'request.alert.remind', { ...p, percent: Math.round((n.fraction ?? 0) * 100) })
      : n.kind === 'upward'
        ? t(locale, 'request.alert.upward', { ...p, head: personName(directory, directory.department(r.departmentId)?.headId, locale) })
        : t(locale, n.kind === 'breach' ? 'request.alert.breach' : 'request.alert.repeat', { ...p, assignee });
  const blocks: ReplyBlock[] = [{ kind: 'text', text: line }, { kind: 'fields', fields: [{ label: t(locale, 'request.field.requester'), value: personName(directory, r.requesterId, locale) }, { label: t(locale, 'request.field.assignee'), value: assignee }] }];
  // The head acts on a breach from here: the request's version as the alert saw it.
  if (n.kind === 'breach' || n.kind === 'repeat') {
    blocks.push({
      kind: 'actions',
      buttons: [
        { label: t(locale, 'request.btn.reassign'), action: 'request.reassign', value: { requestId: r.requestId, version: String(r.version) } },
        { label: t(locale, 'request.btn.extend'), action: 'request.act', value: act(r, 'extend', 'member') },
      ],
    });
  }
  return reply(line, blocks, n.kind === 'remind' ? 'info' : 'warning');
}

function renderRate(n: NoticeOf<'request.rate'>, directory: OrgDirectory, locale: Locale): Reply {
  const r = n.request;
  const line = t(locale, 'request.rate.ask', { title: requestTitle(directory, locale, r), closes: zonedTime(n.closesAt, r.timezone) });
  const scores = [1, 2, 3, 4, 5].map((score): ReplyButton => ({ label: '★'.repeat(score), action: 'request.rate', value: { requestId: r.requestId, score: String(score) } }));
  return reply(line, [{ kind: 'text', text: line }, { kind: 'actions', buttons: scores }]);
}

/** The rating prompt once rated: the score and the thanks, no buttons (the star's answer and the in-place update alike). */
export function renderRated(directory: OrgDirectory, locale: Locale, r: Snapshot, score: number): Reply {
  const line = t(locale, 'request.rate.done', { title: requestTitle(directory, locale, r), score });
  return reply(line, [{ kind: 'text', text: line }], 'success');
}

function renderLowRating(n: NoticeOf<'request.lowRating'>, directory: OrgDirectory, locale: Locale): Reply {
  const r = n.request;
  const line = t(locale, 'request.lowRating', { title: requestTitle(directory, locale, r), score: n.score, requester: personName(directory, r.requesterId, locale), assignee: personName(directory, r.assigneeId, locale), comment: n.comment ?? '' });
  return reply(line, [{ kind: 'text', text: line }], 'warning');
}

function renderPauseFlag(n: NoticeOf<'request.pauseFlag'>, directory: OrgDirectory, locale: Locale): Reply {
  const r = n.request;
  const p = { title: requestTitle(directory, locale, r), assignee: personName(directory, r.assigneeId, locale) };
  const line = n.flag === 'soonAfterComment' ? t(locale, 'request.pauseFlag.soonAfterComment', { ...p, requester: personName(directory, r.requesterId, locale) }) : t(locale, 'request.pauseFlag.tooLong', { ...p, since: zonedTime(n.pausedAt, r.timezone) });
  return reply(line, [{ kind: 'text', text: line }], 'warning');
}

export const REQUEST_NOTICE_RENDERERS = {
  'request.rate': (n, { directory, locale }) => renderRate(n, directory, locale),
  'request.rateClosed': (n, { directory, locale }) => {
    const line = t(locale, 'request.rate.closed', { title: requestTitle(directory, locale, n.request) });
    return reply(line, [{ kind: 'text', text: line }]);
  },
  'request.rated': (n, { directory, locale }) => renderRated(directory, locale, n.request, n.score),
  'request.lowRating': (n, { directory, locale }) => renderLowRating(n, directory, locale),
  'request.pauseFlag': (n, { directory, locale }) => renderPauseFlag(n, directory, locale),
  'request.alert': (n, { directory, locale }) => renderAlert(n, directory, locale),
  'request.status': (n, { directory, locale }) => renderRequest(directory, locale, n.request, n.audience),
  'request.away': (n, { directory, locale }) => renderAway(n, directory, locale),
  'request.comment': (n, { directory, locale }) => {
    const line = t(locale, 'request.comment', { number: n.number, service: n.serviceName[locale], by: personName(directory, n.byPersonId, locale), text: n.text });
    return reply(line, [{ kind: 'text', text: line }, { kind: 'context', text: t(locale, 'request.commentHint', { number: n.number }) }]);
  },
} satisfies NoticeRenderers<`request.${string}`>;
