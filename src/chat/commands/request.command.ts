// `request [service] [field:value …]` / 请求: the services of the catalog grouped by
// department; a service (typed, or its button) shows what to bring before asking — the
// prerequisites, the manager's approval, what the form asks for, the targets in working
// time — with the button that opens its form; the form (or the one line) submits it.
// The buttons on a request's messages (request.act); `requests` / 我的请求, `queue` / 队列
// and `away <from> <to>` / 请假.
import { serviceByKey, type Catalog, type CatalogService } from '../../core/requests/catalog.ts';
import type { Locale, OrgDirectory } from '../../core/org/org.ts';
import type { WorkingDuration } from '../../core/time/working-time.ts';
import { z } from 'zod';
import type { ChatAction, ChatCommand, ChatForm, ChatThreadReply, CommandContext } from '../command.ts';
import { listJoin, t } from '../i18n.ts';
import { errorReply, reply, type Reply, type ReplyBlock } from '../reply.ts';
import { InputError, parseWith, ZPlainTextSchema } from '../validation.ts';
import { actOnRequest } from '../../core/requests/act-on-request.ts';
import { requestOfMessageKey, requestSnapshot } from '../../core/requests/request-effects.ts';
import { REQUEST_AUDIENCES } from '../../core/requests/request.notices.ts';
import type { RequestAction, RequestActionKind, RequestListItem, ServiceRequest } from '../../core/requests/request.ts';
import { awayMember } from '../../core/requests/away-member.ts';
import { commentOnRequest } from '../../core/requests/comment-on-request.ts';
import { rateRequest } from '../../core/requests/rate-request.ts';
import { submitRequest } from '../../core/requests/submit-request.ts';
import { handoverApprover } from '../../core/handovers/handover-requests.ts';
import { departmentSchedule, localDay } from '../../core/time/working-time.ts';
import { personName } from '../customer-format.ts';
import { completeOneLine, formReply } from '../form-flow.ts';
import { parseOneLine, type FormSpec, type TFormValues } from '../form.ts';
import { renderRated, renderRequest, zonedTime } from '../notices/request.notices.ts';

export function durationText(locale: Locale, d: WorkingDuration): string {
  return 'days' in d ? t(locale, 'duration.days', { n: d.days }) : t(locale, 'duration.hours', { n: d.hours });
}

/** The service named, or the refusal listing the services there are. */
export function serviceOrRefusal(catalog: Catalog, locale: Locale, name: string): CatalogService | Reply {
  const service = serviceByKey(catalog, name);
  if (service) return service;
  return errorReply(t(locale, 'request.unknown', { service: name, known: listJoin(locale, catalog.services.map((s) => `${s.name[locale]} (${s.key})`)) }));
}

function catalogReply(directory: OrgDirectory, locale: Locale, catalog: Catalog): Reply {
  if (catalog.services.length === 0) return errorReply(t(locale, 'request.none'));
  const blocks: ReplyBlock[] = [{ kind: 'header', text: t(locale, 'request.catalog') }];
  const departments = [...new Set(catalog.services.map((s) => s.departmentId))];
  for (const id of departments) {
    const services = catalog.services.filter((s) => s.departmentId === id);
    blocks.push({ kind: 'text', text: directory.department(id)?.name ?? id });
    blocks.push({
      kind: 'list',
      items: services.map((s) => t(locale, 'request.serviceLine', { name: s.name[locale], key: s.key, lead: s.leadTimeDays, resolution: durationText(locale, s.targets.resolution) })),
    });
    blocks.push({ kind: 'actions', buttons: services.map((s) => ({ label: t(locale, 'btn.requestService', { name: s.name[locale] }), action: 'request.pick' as const, value: { service: s.key } })) });
  }
  blocks.push({ kind: 'context', text: t(locale, 'request.pickHint') });
  return reply(t(locale, 'request.catalog'), blocks);
}

function prerequisitesReply(directory: OrgDirectory, locale: Locale, s: CatalogService): Reply {
  const name = s.name[locale];
  const blocks: ReplyBlock[] = [];
  if (s.prerequisites.length) {
    blocks.push({ kind: 'header', text: t(locale, 'request.prerequisites', { name }) });
    blocks.push({ kind: 'list', items: s.prerequisites.map((p) => p[locale]) });
  } else blocks.push({ kind: 'text', text: t(locale, 'request.noPrerequisites', { name }) });
  if (s.managerApproves) blocks.push({ kind: 'text', text: t(locale, 'request.approval') });
  if (s.fields.length) blocks.push({ kind: 'text', text: t(locale, 'request.formFields', { fields: listJoin(locale, s.fields.map((f) => f.label[locale] + (f.required ? ' *' : ''))) }) });
  const department = directory.department(s.departmentId)?.name ?? s.departmentId;
  blocks.push({ kind: 'context', text: t(locale, 'request.targets', { department, response: durationText(locale, s.targets.firstResponse), resolution: durationText(locale, s.targets.resolution) }) });
  const form = { form: 'request.submit', context: JSON.stringify({ service: s.key }), values: '{}' };
  blocks.push({ kind: 'actions', buttons: [{ label: t(locale, 'request.btn.form'), action: 'form.open', value: form, style: 'primary' }] });
  return reply(blocks[0]!.kind === 'header' ? t(locale, 'request.prerequisites', { name }) : t(locale, 'request.noPrerequisites', { name }), blocks);
}

function showService(ctx: CommandContext, name: string): Reply {
  const found = serviceOrRefusal(ctx.services.catalog(), ctx.locale, name);
  return 'key' in found ? prerequisitesReply(ctx.directory, ctx.locale, found) : found;
}

export const requestCommand: ChatCommand = {
  name: 'request',
  aliases: ['请求', '申请'],
  usage: { en: 'request [service] [field:value …]', 'zh-CN': '请求 [服务] [字段:值 …]' },
  summary: 'cmd.request',
  async run(ctx, args) {
    const usage = this.usage[ctx.locale];
    const text = parseWith(ZPlainTextSchema(4000), args, ctx.locale, usage);
    if (text === '') return catalogReply(ctx.directory, ctx.locale, ctx.services.catalog());
    // The service's name runs until the first `key:value`; with values it is the one-line form.
    const at = text.search(/\s\S+[:：=]/u);
    const name = at < 0 ? text : text.slice(0, at).trim();
    if (at < 0) return showService(ctx, name);
    const found = serviceOrRefusal(ctx.services.catalog(), ctx.locale, name);
    if (!('key' in found)) return found;
    const spec = requestFormSpec(found);
    const { values, extra } = parseOneLine(spec, text.slice(at));
    if (extra.length) throw new InputError(t(ctx.locale, 'err.invalid', { problem: t(ctx.locale, 'err.badArgs'), usage }));
    return completeOneLine(ctx, 'request.submit', values, { service: found.key }, usage);
  },
};

export const pickServiceAction: ChatAction = {
  async run(ctx, value) {
    const { service } = parseWith(z.object({ service: z.string().min(1).max(40) }), value, ctx.locale, requestCommand.usage[ctx.locale]);
    return { notice: showService(ctx, service) };
  },
};

/** A service's form: its catalog fields (the forms' kinds), its prerequisites up front. */
export function requestFormSpec(s: CatalogService): FormSpec {
  const intro = s.prerequisites.length ? { en: s.prerequisites.map((p) => `• ${p.en}`).join('\n'), 'zh-CN': s.prerequisites.map((p) => `• ${p['zh-CN']}`).join('\n') } : undefined;
  return {
    title: s.name,
    ...(intro ? { intro } : {}),
    fields: s.fields.map((f) => ({ ...f, keys: [f.label['zh-CN'], f.label.en.toLowerCase()].filter((k) => k !== f.name) })),
    submit: { en: 'Submit', 'zh-CN': '提交' },
  };
}

const ZServiceContextSchema = z.object({ service: z.string().min(1).max(40) });

/** The service's form: submitting it makes the request. */
export const requestForm: ChatForm = {
  command: 'request',
  spec(ctx, context) {
    const { service } = parseWith(ZServiceContextSchema, context, ctx.locale, requestCommand.usage[ctx.locale]);
    const found = serviceOrRefusal(ctx.services.catalog(), ctx.locale, service);
    if (!('key' in found)) throw new InputError(found.summary);
    return requestFormSpec(found);
  },
  async submit(ctx, values, context) {
    const { locale, directory } = ctx;
    const { service: key } = ZServiceContextSchema.parse(context);
    const service = serviceOrRefusal(ctx.services.catalog(), locale, key);
    if (!('key' in service)) return service;
    const outcome = await submitRequest({ requests: ctx.services.requests, customers: ctx.services.customers, directory, requester: ctx.person, service, values, now: ctx.services.clock(), approverStandIn: handoverApprover(ctx.services.handovers, directory) });
    const r = outcome.request;
    const snap = requestSnapshot(directory, r);
    if (outcome.kind === 'duplicate') return reply(t(locale, 'request.duplicate', { number: r.number, at: zonedTime(r.submittedAt, snap.timezone) }), [], 'warning');
    const p = { number: r.number, service: service.name[locale], assignee: personName(directory, r.assigneeId, locale) };
    const text =
      r.status === 'submitted'
        ? t(locale, 'request.submittedApproval', { ...p, approver: personName(directory, snap.approverId, locale) })
        : t(locale, 'request.submitted', { ...p, response: t(locale, 'request.due', { at: zonedTime(r.firstResponseDue, snap.timezone), zone: snap.timezone }), resolution: t(locale, 'request.due', { at: zonedTime(r.resolutionDue, snap.timezone), zone: snap.timezone }) });
    return reply(text, [], 'success');
  },
};

const ACTS = ['approve', 'decline', 'take', 'start', 'wait', 'resume', 'resolve', 'confirm', 'reopen', 'cancel', 'extend'] as const satisfies readonly RequestActionKind[];

const ZRequestActSchema = z.object({
  requestId: z.string().min(1).max(64),
  version: z.coerce.number().int().min(1),
  act: z.enum(ACTS),
  as: z.enum(REQUEST_AUDIENCES),
});

/** A press on one of a request's messages: the pressed message shows the new state (the others follow in place). */
export const requestActAction: ChatAction = {
  async run(ctx, value) {
    const v = parseWith(ZRequestActSchema, value, ctx.locale, '');
    const now = ctx.services.clock();
    const action: RequestAction = { kind: v.act };
    const next = await actOnRequest({ requests: ctx.services.requests, directory: ctx.directory, catalog: ctx.services.catalog(), actor: ctx.person, requestId: v.requestId, version: v.version, action, now });
    if (v.act === 'extend') {
      const snap = requestSnapshot(ctx.directory, next);
      return { notice: reply(t(ctx.locale, 'request.extended', { number: next.number, due: t(ctx.locale, 'request.due', { at: zonedTime(next.resolutionDue, snap.timezone), zone: snap.timezone }) }), [], 'success') };
    }
    // A channel's card reads in the org's language whoever pressed it.
    const locale = v.as === 'channel' ? ctx.directory.org.locale : ctx.locale;
    return { update: renderRequest(ctx.directory, locale, requestSnapshot(ctx.directory, next), v.as) };
  },
};

function listLine(ctx: CommandContext, r: RequestListItem, queue: boolean): string {
  const { locale, directory } = ctx;
  const service = serviceByKey(ctx.services.catalog(), r.serviceKey)?.name[locale] ?? r.serviceKey;
  const zone = departmentSchedule(directory.org, queue ? r.departmentId : (ctx.person.departmentId ?? r.departmentId)).timezone;
  const p = { number: r.number, service, status: t(locale, 'request.state', { status: r.status }), due: zonedTime(r.resolutionDue, zone) };
  return queue ? t(locale, 'request.queue.line', { ...p, requester: personName(directory, r.requesterId, locale), assignee: personName(directory, r.assigneeId, locale) }) : t(locale, 'request.list.line', p);
}

const LIST_LIMIT = 30;

export const requestsCommand: ChatCommand = {
  name: 'requests',
  aliases: ['我的请求'],
  usage: { en: 'requests', 'zh-CN': '我的请求' },
  summary: 'cmd.requests',
  async run(ctx) {
    const list = await ctx.services.requests.mine(ctx.person.id, LIST_LIMIT);
    if (list.length === 0) return reply(t(ctx.locale, 'request.list.none'));
    const title = t(ctx.locale, 'request.list.title', { count: list.length });
    return reply(title, [{ kind: 'header', text: title }, { kind: 'list', items: list.map((r) => listLine(ctx, r, false)) }]);
  },
};

/** The functional department someone works in or heads. */
function ownDepartment(ctx: CommandContext) {
  const { directory, person } = ctx;
  const d = directory.org.departments.find((x) => x.kind === 'function' && (x.headId === person.id || x.memberIds.includes(person.id)));
  return d;
}

export const queueCommand: ChatCommand = {
  name: 'queue',
  aliases: ['队列'],
  usage: { en: 'queue', 'zh-CN': '队列' },
  summary: 'cmd.queue',
  async run(ctx) {
    const d = ownDepartment(ctx);
    if (!d) return errorReply(t(ctx.locale, 'request.queue.notMember'));
    const list = await ctx.services.requests.queue(d.id, LIST_LIMIT);
    if (list.length === 0) return reply(t(ctx.locale, 'request.queue.none', { department: d.name }));
    const title = t(ctx.locale, 'request.queue.title', { department: d.name, count: list.length });
    return reply(title, [{ kind: 'header', text: title }, { kind: 'list', items: list.map((r) => listLine(ctx, r, true)) }]);
  },
};

const DAY = /^\d{4}-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])$/;

export const awayCommand: ChatCommand = {
  name: 'away',
  aliases: ['请假'],
  usage: { en: 'away <from YYYY-MM-DD> <to YYYY-MM-DD>', 'zh-CN': '请假 <开始日期> <结束日期>' },
  summary: 'cmd.away',
  async run(ctx, args) {
    const { locale, directory, person } = ctx;
    const words = args.trim().split(/\s+/u).filter(Boolean);
    const from = words[0];
    const to = words[1] ?? words[0];
    const today = localDay(ctx.services.clock().getTime(), departmentSchedule(directory.org, person.departmentId).timezone);
    if (words.length < 1 || words.length > 2 || !from || !to || !DAY.test(from) || !DAY.test(to) || to < from || to < today) {
      throw new InputError(t(locale, 'err.invalid', { problem: t(locale, 'reason.request.badAway'), usage: this.usage[locale] }));
    }
    const open = await awayMember({ requests: ctx.services.requests, directory, person, from, to, now: ctx.services.clock() });
    return reply(t(locale, 'request.away.done', { from, to, count: open }), [], 'success');
  },
};

const ZRequestVersionSchema = z.object({ requestId: z.string().min(1).max(64), version: z.coerce.number().int().min(1) });

const REASSIGN_FORM: FormSpec = {
  title: { en: 'Reassign the request', 'zh-CN': '改派请求' },
  fields: [{ name: 'to', kind: 'person', label: { en: 'To', 'zh-CN': '改派给' }, keys: ['改派给', '给'], required: true, hint: { en: 'A member of the department', 'zh-CN': '本部门成员' } }],
  submit: { en: 'Reassign', 'zh-CN': '改派' },
};

/** A button that opens a form about one request as the button saw it (its version). */
const openRequestForm = (name: 'request.reassign' | 'request.wait'): ChatAction => ({
  async run(ctx, value) {
    const v = parseWith(ZRequestVersionSchema, value, ctx.locale, '');
    return { open: formReply(ctx, { name, context: { requestId: v.requestId, version: String(v.version) }, values: {} }) };
  },
});

/** The form's spec, once its context names a request and a version. */
const specAbout = (spec: FormSpec) => (_ctx: CommandContext, context: Record<string, string>) => {
  ZRequestVersionSchema.parse(context);
  return spec;
};

/** A form whose submission is one action on the request its context names, from the version it names. */
function requestActionForm(spec: FormSpec, actionOf: (values: TFormValues) => { action: RequestAction; note?: string }, answer: (ctx: CommandContext, next: ServiceRequest) => Reply): ChatForm {
  return {
    command: 'request',
    spec: specAbout(spec),
    async submit(ctx, values, context) {
      const c = ZRequestVersionSchema.parse(context);
      const { action, note } = actionOf(values);
      const next = await actOnRequest({ requests: ctx.services.requests, directory: ctx.directory, catalog: ctx.services.catalog(), actor: ctx.person, requestId: c.requestId, version: c.version, action, note, now: ctx.services.clock() });
      return answer(ctx, next);
    },
  };
}

/** "Reassign" (the head): the person picker. */
export const requestReassignAction = openRequestForm('request.reassign');

export const requestReassignForm = requestActionForm(REASSIGN_FORM, (values) => ({ action: { kind: 'reassign', toPersonId: String(values.to) } }), (ctx, next) =>
  reply(t(ctx.locale, 'request.reassigned', { by: personName(ctx.directory, ctx.person.id, ctx.locale), assignee: personName(ctx.directory, next.assigneeId, ctx.locale) }), [], 'success'),
);

export const commentCommand: ChatCommand = {
  name: 'comment',
  aliases: ['评论', '留言'],
  usage: { en: 'comment <request number> <text>', 'zh-CN': '评论 <请求编号> <内容>' },
  summary: 'cmd.comment',
  async run(ctx, args) {
    const { locale } = ctx;
    const usage = this.usage[locale];
    const m = /^#?(\d{1,9})\s+([\s\S]+)$/u.exec(args.trim());
    if (!m) throw new InputError(t(locale, 'err.invalid', { problem: t(locale, 'err.badArgs'), usage }));
    return comment(ctx, { number: Number(m[1]) }, m[2]!, usage);
  },
};

/** A comment on a request (by its number, or by the message whose thread it was typed in), answered with whom it went to. */
async function comment(ctx: CommandContext, request: { number: number } | { id: string }, typed: string, usage: string): Promise<Reply> {
  const { locale } = ctx;
  const text = parseWith(ZPlainTextSchema(2000), typed, locale, usage);
  const r = await commentOnRequest({ requests: ctx.services.requests, directory: ctx.directory, actor: ctx.person, request, text, now: ctx.services.clock() });
  return reply(t(locale, 'request.commented', { number: r.request.number, to: listJoin(locale, r.to.map((id) => personName(ctx.directory, id, locale))) }), [], 'success');
}

/** A reply typed in the thread of one of a request's messages (its status, a DM, the channel card, a relayed comment): a comment on it, like `comment`. */
export const requestThreadReply: ChatThreadReply = {
  about: (key) => requestOfMessageKey(key),
  run: (ctx, requestId, text) => comment(ctx, { id: requestId }, text, commentCommand.usage[ctx.locale]),
};

const ZRateValueSchema = z.object({ requestId: z.string().min(1).max(64), score: z.coerce.number().int() });

/** A star on the rating prompt: the prompt shows the thanks instead of its buttons. */
export const requestRateAction: ChatAction = {
  async run(ctx, value) {
    const v = parseWith(ZRateValueSchema, value, ctx.locale, '');
    const r = await rateRequest({ requests: ctx.services.requests, directory: ctx.directory, catalog: ctx.services.catalog(), actor: ctx.person, request: { id: v.requestId }, score: v.score, now: ctx.services.clock() });
    return { update: renderRated(ctx.directory, ctx.locale, requestSnapshot(ctx.directory, r), v.score) };
  },
};

export const rateCommand: ChatCommand = {
  name: 'rate',
  aliases: ['评分'],
  usage: { en: 'rate <request number> <1-5> [comment]', 'zh-CN': '评分 <请求编号> <1-5> [评语]' },
  summary: 'cmd.rate',
  async run(ctx, args) {
    const { locale } = ctx;
    const usage = this.usage[locale];
    const m = /^#?(\d{1,9})\s+(\d)(?:\s+([\s\S]+))?$/u.exec(args.trim());
    if (!m) throw new InputError(t(locale, 'err.invalid', { problem: t(locale, 'err.badArgs'), usage }));
    const comment = m[3] ? parseWith(ZPlainTextSchema(1000), m[3], locale, usage) : undefined;
    const r = await rateRequest({ requests: ctx.services.requests, directory: ctx.directory, catalog: ctx.services.catalog(), actor: ctx.person, request: { number: Number(m[1]) }, score: Number(m[2]), comment, now: ctx.services.clock() });
    return reply(t(locale, 'request.rate.thanks', { number: r.number, score: Number(m[2]) }), [], 'success');
  },
};

const WAIT_FORM: FormSpec = {
  title: { en: 'Waiting on the requester', 'zh-CN': '等待申请人补充' },
  intro: { en: 'The clock pauses until they answer; they get this in the thread of their request.', 'zh-CN': '对方补充前计时暂停；这段话会发到对方请求消息的讨论串里。' },
  fields: [{ name: 'missing', kind: 'longText', label: { en: 'What is missing', 'zh-CN': '还缺什么' }, keys: ['还缺什么', '缺'], required: true, maxLength: 1000 }],
  submit: { en: 'Ask and pause', 'zh-CN': '发送并暂停' },
};

/** "Waiting on requester": asks what is missing first. */
export const requestWaitAction = openRequestForm('request.wait');

export const requestWaitForm = requestActionForm(WAIT_FORM, (values) => ({ action: { kind: 'wait' }, note: String(values.missing) }), (ctx, next) =>
  renderRequest(ctx.directory, ctx.locale, requestSnapshot(ctx.directory, next), 'assignee'),
);
