// Renders the visitors capability's notices (core/visitors/visitor.notices.ts): the host's
// DM (details, the customer's stage and last follow-ups, how long they have waited, the
// buttons), the reporter's live status (updated in place at each change), and what the
// host's manager, the person on duty and the department head are told in an escalation, and
// the front desk channel's feed (the status without the phone or buttons).
import type { NoticeOf } from '../../core/notices.ts';
import type { Locale, OrgDirectory } from '../../core/org/org.ts';
import { WAIT_MINUTES } from '../../core/visitors/visit.ts';
import type { TVisitSnapshot } from '../../core/visitors/visitor.notices.ts';
import { dateText, personName } from '../customer-format.ts';
import { hasMessage, listJoin, messageFor, t, type MessageKey } from '../i18n.ts';
import type { NoticeRenderers } from '../notices.ts';
import { reply, type Reply, type ReplyBlock, type ReplyButton } from '../reply.ts';

type Snapshot = TVisitSnapshot;

/** Whole minutes the visitor had waited when this state was reached. */
export function waitedMinutes(v: Pick<Snapshot, 'createdAt' | 'at'>): number {
  return Math.max(0, Math.floor((Date.parse(v.at) - Date.parse(v.createdAt)) / 60_000));
}

export function peopleText(locale: Locale, v: Pick<Snapshot, 'visitorNames' | 'headcount'>): string {
  return t(locale, 'visitor.people', { names: v.visitorNames ?? '', count: v.headcount });
}

/** Why this host, as the host and the reporter read it. */
export function reasonText(directory: OrgDirectory, locale: Locale, v: Pick<Snapshot, 'hostReason' | 'hostId'>, forHost: boolean): string {
  const r = v.hostReason;
  const name = (id: string) => personName(directory, id, locale);
  if (!r) return '';
  switch (r.kind) {
    case 'expected':
      return forHost ? t(locale, 'visitor.reason.expected') : t(locale, 'visitor.reason.expectedOther', { host: name(v.hostId ?? '') });
    case 'named':
      return t(locale, 'visitor.reason.named');
    case 'owner':
      return t(locale, 'visitor.reason.owner', { customer: r.customerName, since: dateText(directory, r.since ? new Date(r.since) : undefined, locale) });
    case 'duty':
      return t(locale, 'visitor.reason.duty', { from: r.from, to: r.to });
    case 'salesHead':
      return t(locale, 'visitor.reason.salesHead', { department: r.department });
    case 'arbiter':
      return t(locale, 'visitor.reason.arbiter');
    case 'handedOver':
      return t(locale, 'visitor.reason.handedOver', { by: name(r.byPersonId) });
    case 'picked':
      return t(locale, 'visitor.reason.picked', { by: name(r.byPersonId) });
  }
}

const kindText = (locale: Locale, kind: string) => (hasMessage(`kind.${kind}`) ? messageFor(locale, `kind.${kind}` as MessageKey, {}) : kind);

/** The visit's details; the phone only where `withPhone` (the host and the reporter). */
function detailFields(directory: OrgDirectory, locale: Locale, v: Snapshot, withPhone: boolean) {
  const fields = [
    { label: t(locale, 'visitor.field.visitors'), value: peopleText(locale, v) },
    { label: t(locale, 'visitor.field.waiting'), value: t(locale, 'visitor.minutes', { n: waitedMinutes(v) }) },
    { label: t(locale, 'visitor.field.reporter'), value: personName(directory, v.reporterId, locale) },
  ];
  if (withPhone && v.phone) fields.push({ label: t(locale, 'visitor.field.phone'), value: v.phone });
  if (v.askedFor) fields.push({ label: t(locale, 'visitor.field.askedFor'), value: v.askedFor });
  if (v.purpose) fields.push({ label: t(locale, 'visitor.field.purpose'), value: v.purpose });
  if (v.note) fields.push({ label: t(locale, 'visitor.field.note'), value: v.note });
  return fields;
}

const act = (v: Snapshot, action: string, extra: Record<string, string> = {}) => ({ visitId: v.visitId, version: String(v.version), act: action, ...extra });

/** The host's buttons for the visit as it stands now (none once it is answered). */
export function hostButtons(locale: Locale, v: Snapshot): ReplyButton[] {
  if (v.status !== 'notified' && v.status !== 'delayed') return [];
  const buttons: ReplyButton[] = [
    { label: t(locale, 'visitor.btn.coming'), action: 'visitor.act', value: act(v, 'coming'), style: 'primary' },
    ...WAIT_MINUTES.map((n) => ({ label: t(locale, 'visitor.btn.wait', { n }), action: 'visitor.act' as const, value: act(v, 'wait', { minutes: String(n) }) })),
    { label: t(locale, 'visitor.btn.hand'), action: 'visitor.hand', value: act(v, 'hand') },
  ];
  if (v.status === 'notified' && !v.takenAt) buttons.push({ label: t(locale, 'visitor.btn.notMe'), action: 'visitor.act', value: act(v, 'notMe'), style: 'danger' });
  return buttons;
}

/** The host's DM: the visitor, the customer, the wait, the reason, the buttons. */
export function renderHostMessage(directory: OrgDirectory, locale: Locale, v: Snapshot, repeat: boolean, answered?: string): Reply {
  const people = peopleText(locale, v);
  const text = t(locale, repeat ? 'visitor.host.again' : 'visitor.host.text', { people, company: v.company, minutes: waitedMinutes(v) });
  const blocks: ReplyBlock[] = [
    { kind: 'header', text: t(locale, 'visitor.title', { company: v.company }) },
    { kind: 'text', text },
    { kind: 'fields', fields: detailFields(directory, locale, v, true) },
  ];
  const why = reasonText(directory, locale, v, true);
  if (why) blocks.push({ kind: 'context', text: t(locale, 'visitor.why', { why }) });
  if (v.customer) {
    const c = v.customer;
    blocks.push({ kind: 'text', text: t(locale, 'visitor.customerLine', { name: c.name, stage: c.lost ? (locale === 'en' ? 'lost' : '丢失') : `${c.stage}%`, owner: personName(directory, c.ownerId, locale) }) });
    if (c.followUps.length) {
      blocks.push({ kind: 'context', text: t(locale, 'visitor.followUps') });
      blocks.push({ kind: 'list', items: c.followUps.map((f) => t(locale, 'visitor.followUp', { at: dateText(directory, new Date(f.at), locale), by: personName(directory, f.personId, locale), kind: kindText(locale, f.kind), note: f.note })) });
    }
  } else blocks.push({ kind: 'context', text: t(locale, 'visitor.notCustomer') });
  if (answered) blocks.push({ kind: 'text', text: t(locale, 'visitor.host.done', { state: answered }) });
  const buttons = answered ? [] : hostButtons(locale, v);
  if (!v.customer && (v.status === 'coming' || answered)) buttons.push({ label: t(locale, 'visitor.btn.claim'), action: 'visitor.claim', value: { company: v.company.slice(0, 200) } });
  if (buttons.length) blocks.push({ kind: 'actions', buttons });
  return { ...reply(text, blocks, repeat ? 'warning' : 'info'), ...(repeat && !answered ? { urgent: true } : {}) };
}

/** One line saying where the visit stands, for the reporter (and the host once answered). */
export function statusLine(directory: OrgDirectory, locale: Locale, v: Snapshot): string {
  const name = (id: string | undefined) => personName(directory, id, locale);
  const minutes = waitedMinutes(v);
  switch (v.status) {
    case 'choosing':
      return t(locale, 'visitor.status.choosing', { askedFor: v.askedFor ?? '', count: v.choose.length });
    case 'notified':
      if (!v.hostId) return t(locale, 'visitor.status.exhausted');
      return t(locale, 'visitor.status.notified', { host: name(v.hostId), why: reasonText(directory, locale, v, false), minutes });
    case 'coming':
      return t(locale, 'visitor.status.coming', { host: name(v.hostId), minutes: v.takenAt ? Math.max(0, Math.floor((Date.parse(v.takenAt) - Date.parse(v.createdAt)) / 60_000)) : minutes });
    case 'delayed':
      return t(locale, 'visitor.status.delayed', { host: name(v.hostId), wait: v.waitMinutes ?? 0 });
    case 'closed':
      return t(locale, 'visitor.status.closed', { minutes: v.closedAt ? Math.floor((Date.parse(v.closedAt) - Date.parse(v.createdAt)) / 60_000) : minutes, host: name(v.takenById ?? v.hostId) });
  }
}

/** "14:05" in the org's time zone. */
const clockText = (directory: OrgDirectory, iso: string) => new Date(iso).toLocaleTimeString('sv-SE', { timeZone: directory.org.timezone, hour: '2-digit', minute: '2-digit' });

/**
 * The reporter's status message, kept up to date in place; `feed`: the same for the front
 * desk's channel — no phone, no buttons (the reporter's picks and Close are theirs).
 */
export function renderStatus(directory: OrgDirectory, locale: Locale, v: Snapshot, feed = false): Reply {
  const name = (id: string | undefined) => personName(directory, id, locale);
  const line = statusLine(directory, locale, v);
  const blocks: ReplyBlock[] = [{ kind: 'header', text: t(locale, 'visitor.title', { company: v.company }) }];
  const p = v.namedProblem;
  if (p?.kind === 'left') blocks.push({ kind: 'context', text: p.successor ? t(locale, 'visitor.status.leftSuccessor', { name: p.name, successor: name(p.successor) }) : t(locale, 'visitor.status.left', { name: p.name }) });
  if (p?.kind === 'unknown') blocks.push({ kind: 'context', text: t(locale, 'visitor.status.unknown', { askedFor: v.askedFor ?? '' }) });
  if (v.lastAction === 'hand' && v.lastById) blocks.push({ kind: 'context', text: t(locale, 'visitor.status.handed', { by: name(v.lastById), host: name(v.hostId) }) });
  if (v.lastAction === 'notMe' && v.lastById) blocks.push({ kind: 'context', text: t(locale, 'visitor.status.notMe', { by: name(v.lastById) }) });
  blocks.push({ kind: 'text', text: line });
  // A read receipt (Lark) tells "seen, not answered" apart from "not seen".
  if (v.status === 'notified' && v.hostId && v.seenAt) blocks.push({ kind: 'context', text: t(locale, 'visitor.status.seen', { host: name(v.hostId), at: clockText(directory, v.seenAt) }) });
  if (v.status === 'notified' && v.told.length) blocks.push({ kind: 'context', text: t(locale, 'visitor.status.escalated', { told: listJoin(locale, v.told.map(name)) }) });
  if (v.exhausted) blocks.push({ kind: 'context', text: t(locale, 'visitor.status.gaveUp') });
  blocks.push({ kind: 'fields', fields: detailFields(directory, locale, v, !feed) });
  if (feed) return reply(line, blocks, v.status === 'closed' || v.status === 'coming' ? 'success' : 'info');
  const buttons: ReplyButton[] = [];
  if (v.status === 'choosing') {
    for (const id of v.choose) buttons.push({ label: name(id), action: 'visitor.act', value: act(v, 'pick', { personId: id }) });
    buttons.push({ label: t(locale, 'visitor.btn.none'), action: 'visitor.act', value: act(v, 'pick') });
  }
  if (v.status !== 'closed') buttons.push({ label: t(locale, 'visitor.btn.close'), action: 'visitor.act', value: act(v, 'close') });
  blocks.push({ kind: 'actions', buttons });
  return reply(line, blocks, v.status === 'closed' || v.status === 'coming' ? 'success' : 'info');
}

function renderEscalated(n: NoticeOf<'visitor.escalated'>, directory: OrgDirectory, locale: Locale): Reply {
  const v = n.visit;
  const params = { people: peopleText(locale, v), company: v.company, minutes: waitedMinutes(v), role: t(locale, `visitor.role.${n.role}`) };
  const text = v.hostId ? t(locale, 'visitor.escalated.text', { ...params, host: personName(directory, v.hostId, locale) }) : t(locale, 'visitor.escalated.nobody', params);
  const blocks: ReplyBlock[] = [
    { kind: 'header', text: t(locale, 'visitor.title', { company: v.company }) },
    { kind: 'text', text },
    // Never the phone: it is for the host and the reporter only.
    { kind: 'fields', fields: detailFields(directory, locale, v, false) },
  ];
  if (v.status === 'notified') blocks.push({ kind: 'actions', buttons: [{ label: t(locale, 'visitor.btn.take'), action: 'visitor.act', value: act(v, 'coming'), style: 'primary' }] });
  return reply(text, blocks, 'warning');
}

export const VISITOR_NOTICE_RENDERERS = {
  'visitor.host': (n, { directory, locale }) => renderHostMessage(directory, locale, n.visit, n.repeat),
  'visitor.status': (n, { directory, locale }) => renderStatus(directory, locale, n.visit),
  'visitor.feed': (n, { directory, locale }) => renderStatus(directory, locale, { ...n.visit, phone: undefined }, true),
  'visitor.escalated': (n, { directory, locale }) => renderEscalated(n, directory, locale),
} satisfies NoticeRenderers<`visitor.${string}`>;
