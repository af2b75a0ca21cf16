// `handover <person> [to <a>[,<b>…]] [last-day <YYYY-MM-DD>]` / 交接 <人> [给 <人>] [最后一天 <日期>]:
// the plan first (nothing moves), with a Start button; `handover status [<person>]`,
// `handover done|note|visit <company> …` for the leaver's and successor's parts, the
// buttons "Call done" / "Visit done"; `handovers` / 交接列表 lists the open ones.
import { z } from 'zod';
import { confirmStep, type StepPart } from '../../core/handovers/confirm-step.ts';
import type { HandoverItem } from '../../core/handovers/handover.ts';
import { handoverOverview } from '../../core/handovers/handover-overview.ts';
import { orgToday, planHandover, startHandover, type Plan } from '../../core/handovers/plan-handover.ts';
import { manageItem } from '../../core/handovers/manage-item.ts';
import { changeHandover } from '../../core/handovers/change-handover.ts';
import type { Locale } from '../../core/org/org.ts';
import { assignLeaverRequest } from '../../core/handovers/assign-leaver-request.ts';
import { assignableMembers } from '../../core/handovers/handover-requests.ts';
import { orgEdits } from '../notices/handover.notices.ts';
import { formReply } from '../form-flow.ts';
import type { FormSpec } from '../form.ts';
import { mayManage } from '../../core/handovers/successors.ts';
import type { ChatAction, ChatCommand, ChatForm, CommandContext } from '../command.ts';
import { personName } from '../customer-format.ts';
import { findPerson } from '../form.ts';
import { tokenize } from '../grammar.ts';
import { t, type Sentence } from '../i18n.ts';
import { reply, type Reply, type ReplyBlock, type ReplyButton } from '../reply.ts';
import { InputError, parseWith, ZPlainTextSchema } from '../validation.ts';

const TO = new Set(['to', '给', '交给']);
const LAST_DAY = new Set(['last-day', 'lastday', '最后一天', '最后工作日']);
const STATUS = new Set(['status', '状态']);
const CANCEL = new Set(['cancel', '取消']);
const CHANGE = new Set(['change', '修改', '改']);
const PARTS: Record<string, StepPart> = { done: 'done', 完成: 'done', note: 'note', 备注: 'note', visit: 'visitDay', 拜访: 'visitDay' };

/** A calendar day typed as YYYY-MM-DD (zod checks the month's days, leap years too). */
const normaliseDate = (s: string): string | undefined => (z.iso.date().safeParse(s.trim()).success ? s.trim() : undefined);

const ZStartValueSchema = z.object({ leaverId: z.string().min(1).max(64), successors: z.string().max(400), lastDay: z.iso.date() });
const ZConfirmValueSchema = z.object({ itemId: z.uuid() });

/** A fixed sentence of the catalog in both languages (a form's title, labels and button). */
const sentence = (key: 'handover.formTitle' | 'handover.leaverField' | 'handover.successorsField' | 'handover.successorsHint' | 'handover.lastDayField' | 'handover.formSubmit' | 'handover.reassignTitle' | 'handover.successorField' | 'handover.reassignSubmit' | 'handover.visitDayTitle' | 'handover.visitDayField' | 'handover.visitDaySubmit' | 'handover.assignField' | 'handover.assignSubmit'): Sentence => ({ en: t('en', key), 'zh-CN': t('zh-CN', key) });

function usageError(ctx: CommandContext, usage: string): InputError {
  return new InputError(t(ctx.locale, 'err.invalid', { problem: t(ctx.locale, 'err.badArgs'), usage }));
}

function personOrFail(ctx: CommandContext, raw: string, usage: string): string {
  const id = findPerson(ctx.directory, raw);
  if (!id) throw new InputError(t(ctx.locale, 'reason.handover.noPerson', { person: raw }) + '\n' + usage);
  return id;
}

/** A leaver: someone in the org file, or the org id of someone removed from it (the plan says whether they own anything). */
function leaverOrFail(ctx: CommandContext, raw: string, usage: string): string {
  const id = findPerson(ctx.directory, raw);
  if (id) return id;
  if (/^[\w.@-]{1,64}$/u.test(raw)) return raw;
  throw new InputError(t(ctx.locale, 'reason.handover.noPerson', { person: raw }) + '\n' + usage);
}

export const handoverCommand: ChatCommand = {
  name: 'handover',
  aliases: ['交接'],
  usage: {
    en: 'handover <person> [to <successor>[,<successor>…]] [last-day <YYYY-MM-DD>] · handover status [<person>] · handover done|note|visit <company> [text|date] · handover change <person> last-day <date> | <company> to <successor> · handover cancel <person>',
    'zh-CN': '交接 <人> [给 <接手人>[,<接手人>…]] [最后一天 <YYYY-MM-DD>] · 交接 状态 [<人>] · 交接 完成|备注|拜访 <公司> [内容|日期] · 交接 修改 <人> 最后一天 <日期> | <公司> 给 <接手人> · 交接 取消 <人>',
  },
  summary: 'cmd.handover',
  async run(ctx, args) {
    const usage = this.usage[ctx.locale];
    const words = tokenize(parseWith(ZPlainTextSchema(2000), args, ctx.locale, usage));
    const [first, ...rest] = words;
    // Nothing typed: the handover form (who leaves, to whom, the last day).
    if (!first) return formReply(ctx, { name: 'handover.plan', context: {}, values: {} });
    if (STATUS.has(first.toLowerCase())) return status(ctx, rest[0] ? personOrFail(ctx, rest.join(' '), usage) : ctx.person.id);
    const part = PARTS[first.toLowerCase()];
    if (part) return typedPart(ctx, part, rest, usage);
    if (CANCEL.has(first.toLowerCase()) && rest.length === 1) return cancel(ctx, leaverOrFail(ctx, rest[0]!, usage));
    if (CHANGE.has(first.toLowerCase())) return change(ctx, rest, usage);
    const leaverId = leaverOrFail(ctx, first, usage);
    let successorIds: string[] | undefined;
    let lastDay: string | undefined;
    for (let i = 0; i < rest.length; i += 2) {
      const key = rest[i]!.toLowerCase();
      const value = rest[i + 1];
      if (value === undefined) throw usageError(ctx, usage);
      if (TO.has(key)) successorIds = value.split(/[,，、]/u).filter(Boolean).map((s) => personOrFail(ctx, s, usage));
      else if (LAST_DAY.has(key)) lastDay = normaliseDate(value) ?? (() => { throw usageError(ctx, usage); })();
      else throw usageError(ctx, usage);
    }
    const plan = await planHandover({ store: ctx.services.handovers, directory: ctx.directory, actor: ctx.person, leaverId, successorIds, lastDay, now: ctx.services.clock(), ...requestServices(ctx) });
    return planReply(ctx, plan, successorIds ?? []);
  },
};

/** The leaver's open requests are part of the plan and move at its start (issue 14 point 5). */
const requestServices = (ctx: CommandContext) => ({ requests: ctx.services.requests, catalog: ctx.services.catalog() });

/** The plan's line on the leaver's open requests: counts, and the numbers. */
function planRequests(locale: CommandContext['locale'], r: Plan['requests']): ReplyBlock[] {
  if (!r.reassigned.length && !r.follow.length && !r.stay.length && !r.approvals.length) return [];
  const numbers = (l: { number: number }[]) => l.map((x) => `#${x.number}`).join(' ');
  return [{ kind: 'context', text: t(locale, 'handover.planRequests', { reassigned: r.reassigned.length, reassignedList: numbers(r.reassigned), follow: r.follow.length, followList: numbers(r.follow), stay: r.stay.length, stayList: numbers(r.stay), approvals: r.approvals.length, approvalsList: numbers(r.approvals) }) }];
}

function planReply(ctx: CommandContext, plan: Plan, successorIds: string[]): Reply {
  const { locale, directory } = ctx;
  const title = t(locale, 'handover.planTitle', { leaver: personName(directory, plan.leaverId, locale), count: plan.items.length, lastDay: plan.lastDay });
  const lines = plan.items.map((i) =>
    t(locale, 'handover.planLine', {
      name: i.customerName,
      stage: `${i.stage}%`,
      step: t(locale, `step.${i.step}`),
      successor: i.successorId ? personName(directory, i.successorId, locale) : t(locale, 'handover.nobodyWithRoom'),
      note: i.note,
      admin: i.needsAdmin,
    }),
  );
  const blocks: ReplyBlock[] = [
    { kind: 'header', text: title },
    { kind: 'list', items: lines },
    { kind: 'context', text: t(locale, 'handover.planDue', { dueDay: plan.dueDay }) },
    ...(plan.orgRoles.length ? [{ kind: 'context' as const, text: t(locale, 'handover.planRoles', { edits: orgEdits(locale, plan.orgRoles) }) }] : []),
    ...planRequests(locale, plan.requests),
    { kind: 'actions', buttons: [{ label: t(locale, 'handover.startButton'), action: 'handover.start', value: { leaverId: plan.leaverId, successors: successorIds.join(','), lastDay: plan.lastDay }, style: 'primary' }] },
  ];
  return reply(title, blocks);
}

const ZShowPlanValueSchema = z.object({ leaverId: z.string().min(1).max(64) });

/** "Show the handover plan" on the notice that someone left: the notice becomes the plan as `handover <person>` shows it, with its Start button. */
export const showPlanHandoverAction: ChatAction = {
  async run(ctx, value) {
    const { leaverId } = parseWith(ZShowPlanValueSchema, value, ctx.locale, handoverCommand.usage[ctx.locale]);
    const plan = await planHandover({ store: ctx.services.handovers, directory: ctx.directory, actor: ctx.person, leaverId, now: ctx.services.clock(), ...requestServices(ctx) });
    return { update: planReply(ctx, plan, []) };
  },
};

export const startHandoverAction: ChatAction = {
  async run(ctx, value) {
    const v = parseWith(ZStartValueSchema, value, ctx.locale, handoverCommand.usage[ctx.locale]);
    const successorIds = v.successors ? v.successors.split(',') : undefined;
    const { plan, transferred, requestsMoved } = await startHandover({ store: ctx.services.handovers, directory: ctx.directory, actor: ctx.person, leaverId: v.leaverId, successorIds, lastDay: v.lastDay, now: ctx.services.clock(), ...requestServices(ctx) });
    const started = t(ctx.locale, 'handover.started', { leaver: personName(ctx.directory, plan.leaverId, ctx.locale), transferred, pending: plan.items.length - transferred, lastDay: plan.lastDay });
    const text = requestsMoved ? `${started}${ctx.locale === 'en' ? ' ' : ''}${t(ctx.locale, 'handover.startedRequests', { count: requestsMoved })}` : started;
    return { update: reply(text, [], 'success') };
  },
};

export const confirmHandoverAction: ChatAction = {
  async run(ctx, value) {
    const { itemId } = parseWith(ZConfirmValueSchema, value, ctx.locale, handoverCommand.usage[ctx.locale]);
    return { update: await recordPart(ctx, itemId, 'done') };
  },
};

async function recordPart(ctx: CommandContext, itemId: string, part: StepPart, text?: string, visitDay?: string): Promise<Reply> {
  const { item, outcome } = await confirmStep({ store: ctx.services.handovers, directory: ctx.directory, actor: ctx.person, itemId, part, text, visitDay, now: ctx.services.clock() });
  return outcome === 'completed'
    ? reply(t(ctx.locale, 'handover.completed', { name: item.customerName, successor: personName(ctx.directory, item.successorId, ctx.locale) }), [], 'success')
    : reply(t(ctx.locale, 'handover.recorded', { name: item.customerName }), [], 'success');
}

/** `handover done|note|visit <company> [text|date]`: the pending item of that customer the person is a party to. */
async function typedPart(ctx: CommandContext, part: StepPart, rest: string[], usage: string): Promise<Reply> {
  const [company, ...more] = rest;
  if (!company) throw usageError(ctx, usage);
  const items = await partyItems(ctx);
  const item = items.find((i) => i.customerName === company) ?? items.find((i) => i.customerName.includes(company));
  if (!item) throw new InputError(t(ctx.locale, 'reason.handover.stale'));
  const text = more.join(' ') || undefined;
  if (part === 'note' && !text) throw usageError(ctx, usage);
  const visitDay = part === 'visitDay' ? normaliseDate(more[0] ?? '') : undefined;
  if (part === 'visitDay' && !visitDay) throw usageError(ctx, usage);
  return recordPart(ctx, item.id, part, text, visitDay);
}

/** The pending items of the open handovers this person leaves from or takes over in. */
async function partyItems(ctx: CommandContext): Promise<HandoverItem[]> {
  const store = ctx.services.handovers;
  const out: HandoverItem[] = [];
  for (const h of await store.listOpen()) {
    for (const i of await store.items(h.id)) if (i.status === 'pending' && (h.leaverId === ctx.person.id || i.successorId === ctx.person.id)) out.push(i);
  }
  return out;
}

function missingParts(i: HandoverItem): ('missing.leader' | 'missing.successor' | 'missing.note' | 'missing.visitDay')[] {
  if (i.status !== 'pending') return [];
  const out: ('missing.leader' | 'missing.successor' | 'missing.note' | 'missing.visitDay')[] = [];
  if (i.step === 'visit' && !i.visitDay) out.push('missing.visitDay');
  if (i.step === 'visit' && !i.leaverDoneAt) out.push('missing.leader');
  if (!i.successorDoneAt) out.push('missing.successor');
  if (i.needsNote && i.note === undefined) out.push('missing.note');
  return out;
}

async function status(ctx: CommandContext, personId: string): Promise<Reply> {
  const { locale, directory } = ctx;
  const store = ctx.services.handovers;
  // A leaver's handover, or the ones this person takes over in.
  const own = await store.findOpenByLeaver(personId);
  const handovers = own ? [own] : personId === ctx.person.id ? (await store.listOpen()).filter((h) => h.leaverId !== personId) : [];
  const blocks: ReplyBlock[] = [];
  const buttons: ReplyButton[] = [];
  for (const h of handovers) {
    if (h.leaverId !== ctx.person.id && !mayManage(directory, ctx.person, h.leaverId)) {
      const items = (await store.items(h.id)).filter((i) => i.successorId === ctx.person.id);
      if (!items.length) continue;
    }
    const items = await store.items(h.id);
    const shown = h.leaverId === ctx.person.id || mayManage(directory, ctx.person, h.leaverId) ? items : items.filter((i) => i.successorId === ctx.person.id);
    const done = items.filter((i) => i.status !== 'pending').length;
    blocks.push({ kind: 'header', text: t(locale, 'handover.statusTitle', { leaver: personName(directory, h.leaverId, locale), lastDay: h.lastDay, done, total: items.length }) });
    blocks.push({
      kind: 'list',
      items: shown.map((i) =>
        t(locale, 'handover.statusLine', {
          name: i.customerName,
          step: t(locale, `step.${i.step}`),
          successor: personName(directory, i.successorId, locale),
          status: t(locale, `itemStatus.${i.status}`),
          missing: missingParts(i).map((m) => t(locale, m)).join(locale === 'en' ? ', ' : '、'),
        }),
      ),
    });
    const manages = mayManage(directory, ctx.person, h.leaverId);
    for (const i of shown) {
      if (i.status !== 'pending') continue;
      const mine = (h.leaverId === ctx.person.id && !i.leaverDoneAt) || (i.successorId === ctx.person.id && !i.successorDoneAt);
      if (i.step === 'visit' && h.leaverId === ctx.person.id && !i.visitDay) buttons.push({ label: `${t(locale, 'handover.pickVisitDay')}: ${i.customerName}`, action: 'handover.visitDay', value: { itemId: i.id } });
      if (i.step !== 'transfer' && mine) buttons.push({ label: `${t(locale, i.step === 'call' ? 'handover.callDone' : 'handover.visitDone')}: ${i.customerName}`, action: 'handover.confirm', value: { itemId: i.id } });
      if (manages) buttons.push({ label: `${t(locale, 'handover.reassign')}: ${i.customerName}`, action: 'handover.reassign', value: { itemId: i.id } });
    }
  }
  if (!blocks.length) return reply(t(locale, 'handover.noneOpen'));
  if (buttons.length) blocks.push({ kind: 'actions', buttons: buttons.slice(0, 20) });
  return reply((blocks[0] as { text: string }).text, blocks);
}

export const handoversCommand: ChatCommand = {
  name: 'handovers',
  aliases: ['交接列表'],
  usage: { en: 'handovers', 'zh-CN': '交接列表' },
  summary: 'cmd.handovers',
  roles: ['manager', 'admin'],
  async run(ctx) {
    const { locale, directory } = ctx;
    const open = await handoverOverview({ store: ctx.services.handovers, directory, actor: ctx.person, today: orgToday(directory, ctx.services.clock()) });
    const lines = open.map((p) => t(locale, 'handover.digestLine', { leaver: personName(directory, p.handover.leaverId, locale), done: p.done, total: p.total, overdue: p.overdue, lastDay: p.handover.lastDay }));
    if (!lines.length) return reply(t(locale, 'handover.noneOpen'));
    return reply(lines[0]!, [{ kind: 'list', items: lines }]);
  },
};

const manage = (what: 'extend' | 'transferNow'): ChatAction => ({
  async run(ctx, value) {
    const { itemId } = parseWith(ZConfirmValueSchema, value, ctx.locale, handoverCommand.usage[ctx.locale]);
    const { item, dueDay } = await manageItem({ store: ctx.services.handovers, directory: ctx.directory, actor: ctx.person, itemId, what: { kind: what }, now: ctx.services.clock() });
    const text = dueDay
      ? t(ctx.locale, 'handover.extended', { name: item.customerName, dueDay })
      : t(ctx.locale, 'handover.completed', { name: item.customerName, successor: personName(ctx.directory, item.successorId, ctx.locale) });
    return { update: reply(text, [], 'success') };
  },
});

/** The escalation's buttons: Extend, Transfer now without it. */
export const extendHandoverAction = manage('extend');
export const transferNowHandoverAction = manage('transferNow');

async function reassign(ctx: CommandContext, itemId: string, successorId: string): Promise<Reply> {
  const { item, successorId: to } = await manageItem({ store: ctx.services.handovers, directory: ctx.directory, actor: ctx.person, itemId, what: { kind: 'reassign', successorId }, now: ctx.services.clock() });
  return reply(t(ctx.locale, 'handover.reassigned', { name: item.customerName, successor: personName(ctx.directory, to!, ctx.locale) }), [], 'success');
}

/** The handover form: the plan for a leaver, successors and last day optional (`to a,b` and `last-day` of the command). */
export const planHandoverForm: ChatForm = {
  command: 'handover',
  spec: () => ({
    title: sentence('handover.formTitle'),
    fields: [
      { name: 'leaver', kind: 'person', label: sentence('handover.leaverField'), keys: ['person', '离职人'], required: true, positional: true },
      { name: 'successors', kind: 'text', label: sentence('handover.successorsField'), hint: sentence('handover.successorsHint'), keys: ['to', '给'] },
      { name: 'lastDay', kind: 'date', label: sentence('handover.lastDayField'), keys: ['last-day', '最后一天'] },
    ],
    submit: sentence('handover.formSubmit'),
  }),
  async submit(ctx, values) {
    const usage = handoverCommand.usage[ctx.locale];
    const names = typeof values.successors === 'string' ? values.successors.split(/[,，、\s]+/u).filter(Boolean) : [];
    const successorIds = names.length ? names.map((n) => personOrFail(ctx, n, usage)) : undefined;
    const lastDay = typeof values.lastDay === 'string' ? values.lastDay : undefined;
    const plan = await planHandover({ store: ctx.services.handovers, directory: ctx.directory, actor: ctx.person, leaverId: String(values.leaver), successorIds, lastDay, now: ctx.services.clock(), ...requestServices(ctx) });
    return planReply(ctx, plan, successorIds ?? []);
  },
};

type ItemFormName = 'handover.reassign' | 'handover.visitDay';

/** What an item's form is about, sealed in its context by the button that opened it: the item, its customer and the leaver. */
const ZItemFormContextSchema = z.object({ itemId: z.uuid(), customer: z.string().max(200).optional(), leaver: z.string().max(64).optional() });

/** Both languages of a sentence with parameters (a form's intro), names in each language. */
const both = (make: (locale: Locale) => string): Sentence => ({ en: make('en'), 'zh-CN': make('zh-CN') });

/** A button that opens a one-field form about one handover item (its intro names the customer and the leaver), and that form. */
function itemForm(name: ItemFormName, spec: FormSpec, submit: (ctx: CommandContext, itemId: string, value: string) => Promise<Reply>): { action: ChatAction; form: ChatForm } {
  return {
    action: {
      async run(ctx, value) {
        const { itemId } = parseWith(ZConfirmValueSchema, value, ctx.locale, handoverCommand.usage[ctx.locale]);
        const item = await ctx.services.handovers.item(itemId);
        const handover = item && (await ctx.services.handovers.find(item.handoverId));
        if (!item || !handover || item.status !== 'pending') throw new InputError(t(ctx.locale, 'reason.handover.stale'));
        return { open: formReply(ctx, { name, context: { itemId, customer: item.customerName, leaver: handover.leaverId }, values: {} }) };
      },
    },
    form: {
      command: 'handover',
      spec: (ctx, context) => {
        const c = ZItemFormContextSchema.parse(context);
        const intro = c.customer && c.leaver ? both((locale) => t(locale, 'handover.itemFormIntro', { name: c.customer!, leaver: personName(ctx.directory, c.leaver!, locale) })) : undefined;
        return intro ? { ...spec, intro } : spec;
      },
      submit: (ctx, values, context) => submit(ctx, ZItemFormContextSchema.parse(context).itemId, String(values[spec.fields[0]!.name])),
    },
  };
}

/** "Reassign" (the escalation, a successor who left, `handover status` for the manager line): the person picker. */
const reassignForm = itemForm(
  'handover.reassign',
  { title: sentence('handover.reassignTitle'), fields: [{ name: 'successor', kind: 'person', label: sentence('handover.successorField'), keys: ['to', '给'], required: true }], submit: sentence('handover.reassignSubmit') },
  reassign,
);
export const reassignHandoverAction = reassignForm.action;
export const reassignHandoverForm = reassignForm.form;

/** "Pick the visit day": the date picker (a modal's datepicker, a card's date picker, a question in the shell). */
const visitDayForm = itemForm(
  'handover.visitDay',
  { title: sentence('handover.visitDayTitle'), fields: [{ name: 'day', kind: 'date', label: sentence('handover.visitDayField'), keys: ['日期'], required: true }], submit: sentence('handover.visitDaySubmit') },
  (ctx, itemId, day) => recordPart(ctx, itemId, 'visitDay', undefined, day),
);
export const visitDayHandoverAction = visitDayForm.action;
export const visitDayHandoverForm = visitDayForm.form;

/** The Assign button on a leaver's request nobody else could take, as the notice saw it (its version). */
const ZAssignRequestSchema = z.object({
  requestId: z.string().min(1).max(64),
  version: z.coerce.number().int().min(1),
  number: z.coerce.number().int().min(1),
  departmentId: z.string().min(1).max(64),
  leaverId: z.string().min(1).max(64),
});

export const assignRequestAction: ChatAction = {
  async run(ctx, value) {
    const v = parseWith(ZAssignRequestSchema, value, ctx.locale, handoverCommand.usage[ctx.locale]);
    return { open: formReply(ctx, { name: 'handover.assignRequest', context: { requestId: v.requestId, version: String(v.version), number: String(v.number), departmentId: v.departmentId, leaverId: v.leaverId }, values: {} }) };
  },
};

/**
 * The form behind it: the department's members other than the leaver (whoever fills it in
 * marked "me" among them, to take it themself); when the leaver was its only member, a
 * person picker over the org (someone to cover it: the head, themself, anyone). The choice
 * is the head's reassignment, from the version the button saw (a request changed since is
 * refused in words).
 */
export const assignRequestForm: ChatForm = {
  command: 'handover',
  spec(ctx, context) {
    const c = ZAssignRequestSchema.parse(context);
    const members = assignableMembers(ctx.directory, c.departmentId, c.leaverId);
    const department = ctx.directory.department(c.departmentId)?.name ?? c.departmentId;
    const field = { name: 'to', label: sentence('handover.assignField'), keys: ['给'], required: true } as const;
    return {
      title: both((locale) => t(locale, 'handover.assignTitle', { number: c.number })),
      intro: both((locale) => t(locale, members.length ? 'handover.assignIntro' : 'handover.assignCoverIntro', { number: c.number, leaver: personName(ctx.directory, c.leaverId, locale), department })),
      fields: [
        members.length
          ? { ...field, kind: 'choice', choices: members.map((id) => ({ value: id, label: both((locale) => (id === ctx.person.id ? t(locale, 'handover.assignMe', { name: personName(ctx.directory, id, locale) }) : personName(ctx.directory, id, locale))) })) }
          : { ...field, kind: 'person' },
      ],
      submit: sentence('handover.assignSubmit'),
    };
  },
  async submit(ctx, values, context) {
    const c = ZAssignRequestSchema.parse(context);
    const next = await assignLeaverRequest({ requests: ctx.services.requests, directory: ctx.directory, catalog: ctx.services.catalog(), actor: ctx.person, leaverId: c.leaverId, requestId: c.requestId, version: c.version, toPersonId: String(values.to), now: ctx.services.clock() });
    return reply(t(ctx.locale, 'request.reassigned', { by: personName(ctx.directory, ctx.person.id, ctx.locale), assignee: personName(ctx.directory, next.assigneeId, ctx.locale) }), [], 'success');
  },
};

/** `handover cancel <person>`. */
async function cancel(ctx: CommandContext, leaverId: string): Promise<Reply> {
  const { handover } = await changeHandover({ store: ctx.services.handovers, directory: ctx.directory, actor: ctx.person, leaverId, change: { kind: 'cancel' }, now: ctx.services.clock() });
  return reply(t(ctx.locale, 'handover.cancelled', { leaver: personName(ctx.directory, handover.leaverId, ctx.locale) }), [], 'success');
}

/** `handover change <person> last-day <date>` or `handover change <person> <company> to <successor>`. */
async function change(ctx: CommandContext, rest: string[], usage: string): Promise<Reply> {
  const [who, a, b, c] = rest;
  if (!who || !a || !b || rest.length > 4) throw usageError(ctx, usage);
  const leaverId = leaverOrFail(ctx, who, usage);
  if (LAST_DAY.has(a.toLowerCase()) && rest.length === 3) {
    const lastDay = normaliseDate(b);
    if (!lastDay) throw usageError(ctx, usage);
    const { handover, dueDay } = await changeHandover({ store: ctx.services.handovers, directory: ctx.directory, actor: ctx.person, leaverId, change: { kind: 'lastDay', lastDay }, now: ctx.services.clock() });
    return reply(t(ctx.locale, 'handover.lastDayChanged', { leaver: personName(ctx.directory, handover.leaverId, ctx.locale), lastDay, dueDay: dueDay! }), [], 'success');
  }
  if (!TO.has(b.toLowerCase()) || !c) throw usageError(ctx, usage);
  const successorId = personOrFail(ctx, c, usage);
  const handover = await ctx.services.handovers.findOpenByLeaver(leaverId);
  const item = handover && (await ctx.services.handovers.items(handover.id)).find((i) => i.status === 'pending' && (i.customerName === a || i.customerName.includes(a)));
  if (!item) throw new InputError(t(ctx.locale, 'reason.handover.stale'));
  return reassign(ctx, item.id, successorId);
}
