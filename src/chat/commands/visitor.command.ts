// `visitor` / 访客: report a visitor at reception (the visitor form, or one line:
// `visitor company:华为 name:张先生 host:李娜`); `visitors [today|week|<date>|expected]` /
// 访客列表: the visits of a period, or today's expected visitors; `expect <company> [name]
// [time]` / 期待 / 预约: announce a visitor ahead. The buttons on the host's DM, the
// escalation notices and the reporter's status (visitor.act), the colleague picker
// (visitor.hand, a form) and "Claim this company" for a walk-in that is no customer yet.
import { z } from 'zod';
import { actOnVisit } from '../../core/visitors/act-on-visit.ts';
import { expectedToday, expectVisitor, listVisits, type VisitPeriod } from '../../core/visitors/expect-visitor.ts';
import { reportVisitor } from '../../core/visitors/report-visitor.ts';
import { snapshotOf } from '../../core/visitors/snapshot.ts';
import type { VisitAction } from '../../core/visitors/visit.ts';
import type { ChatAction, ChatCommand, ChatForm, CommandContext } from '../command.ts';
import { dateText, dateTimeText, personName } from '../customer-format.ts';
import { formReply, runOneLine } from '../form-flow.ts';
import type { FormSpec } from '../form.ts';
import { tokenize } from '../grammar.ts';
import { t } from '../i18n.ts';
import { renderHostMessage, renderStatus, statusLine } from '../notices/visitor.notices.ts';
import { reply, type Reply } from '../reply.ts';
import { InputError, parseWith, ZPlainTextSchema } from '../validation.ts';

const ZVisitorArgsSchema = z.object({
  company: ZPlainTextSchema(200).optional(),
  names: ZPlainTextSchema(200).optional(),
  headcount: z.number().int().min(1).max(50).optional(),
  phone: ZPlainTextSchema(40).optional(),
  host: ZPlainTextSchema(100).optional(),
  purpose: ZPlainTextSchema(200).optional(),
  note: ZPlainTextSchema(1000).optional(),
});

const VISITOR_FORM: FormSpec = {
  title: { en: 'Report a visitor', 'zh-CN': '登记访客' },
  intro: {
    en: 'kehu finds the right host (the person they asked for, the owner of their company, whoever is on duty), pings them and keeps you posted.',
    'zh-CN': 'kehu 会找到合适的接待人（访客点名的人、其公司的负责人、值班人员），通知对方，并随时告诉你进展。',
  },
  fields: [
    { name: 'company', kind: 'text', label: { en: "Visitor's company", 'zh-CN': '访客公司' }, keys: ['公司', '单位'], positional: true, maxLength: 200 },
    { name: 'names', kind: 'text', label: { en: 'Name(s)', 'zh-CN': '访客姓名' }, keys: ['name', '姓名', '名字', '访客'], maxLength: 200, hint: { en: 'Company or name: at least one', 'zh-CN': '公司和姓名至少填一项' } },
    { name: 'headcount', kind: 'number', label: { en: 'How many', 'zh-CN': '人数' }, keys: ['count', '人数'], min: 1, max: 50 },
    { name: 'phone', kind: 'text', label: { en: 'Phone', 'zh-CN': '电话' }, keys: ['tel', '电话', '手机'], maxLength: 40, hint: { en: 'Optional; shown only to the host and you', 'zh-CN': '选填；只有接待人和你能看到' } },
    { name: 'host', kind: 'text', label: { en: 'Asked for', 'zh-CN': '要找谁' }, keys: ['for', 'askedFor', '找', '接待人'], maxLength: 100, hint: { en: 'A name, pinyin or initials; empty if nobody', 'zh-CN': '姓名、拼音或首字母；没有就留空' } },
    { name: 'purpose', kind: 'text', label: { en: 'Purpose', 'zh-CN': '来意' }, keys: ['来意', '事由'], maxLength: 200 },
    { name: 'note', kind: 'longText', label: { en: 'Note', 'zh-CN': '备注' }, keys: ['备注'], maxLength: 1000 },
  ],
  submit: { en: 'Report', 'zh-CN': '登记' },
};

/** The visitor form. */
export const visitorForm: ChatForm = {
  command: 'visitor',
  spec: () => VISITOR_FORM,
  async submit(ctx, values) {
    const input = parseWith(ZVisitorArgsSchema, values, ctx.locale, visitorCommand.usage[ctx.locale]);
    const outcome = await reportVisitor({
      visits: ctx.services.visits,
      customers: ctx.services.customers,
      directory: ctx.directory,
      reporter: ctx.person,
      input: { company: input.company, visitorNames: input.names, headcount: input.headcount, phone: input.phone, askedFor: input.host, purpose: input.purpose, note: input.note },
      now: ctx.services.clock(),
    });
    const v = outcome.visit;
    if (outcome.kind === 'duplicate') return reply(t(ctx.locale, 'visitor.duplicate', { company: v.company, at: dateTimeText(ctx.directory, v.createdAt, ctx.locale) }), [], 'warning');
    return reply(t(ctx.locale, 'visitor.reported', { company: v.company }), [], 'success');
  },
};

export const visitorCommand: ChatCommand = {
  name: 'visitor',
  aliases: ['访客', '来访', '来客'],
  usage: { en: 'visitor [company] [name:…] [count:…] [phone:…] [host:…] [purpose:…] [note:…]', 'zh-CN': '访客 [公司] [姓名:…] [人数:…] [电话:…] [找:…] [来意:…] [备注:…]' },
  summary: 'cmd.visitor',
  firstFor: ['front-desk'],
  run(ctx, args) {
    return runOneLine(ctx, 'visitor.report', args, {}, this.usage[ctx.locale]);
  },
};

const PERIOD_WORDS: Record<string, 'today' | 'week' | 'expected'> = {
  today: 'today', 今天: 'today', 今日: 'today', week: 'week', 本周: 'week', 这周: 'week', expected: 'expected', 预约: 'expected', 期待: 'expected', 预计: 'expected',
};

export const visitorsCommand: ChatCommand = {
  name: 'visitors',
  aliases: ['访客列表', '来访记录'],
  usage: { en: 'visitors [today|week|<YYYY-MM-DD>|expected]', 'zh-CN': '访客列表 [今天|本周|<日期>|预约]' },
  summary: 'cmd.visitors',
  async run(ctx, args) {
    const { locale, directory } = ctx;
    const word = args.trim();
    const kind = word === '' ? 'today' : PERIOD_WORDS[word.toLowerCase()];
    const now = ctx.services.clock();
    if (kind === 'expected') return expectedReply(ctx);
    let period: VisitPeriod;
    if (kind) period = { kind };
    else if (/^\d{4}-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])$/.test(word)) period = { kind: 'day', day: word };
    else throw new InputError(t(locale, 'err.invalid', { problem: t(locale, 'reason.visitor.badTime'), usage: this.usage[locale] }));
    const report = await listVisits({ visits: ctx.services.visits, directory, period, now });
    const label = period.kind === 'day' ? period.day : t(locale, `visitor.period.${period.kind}`);
    if (report.visits.length === 0) return reply(t(locale, 'visitor.list.none', { period: label }));
    const lines = report.visits.map((v) =>
      t(locale, 'visitor.list.line', {
        at: dateTimeText(directory, v.createdAt, locale).slice(period.kind === 'week' ? 5 : 11, 16),
        company: v.company,
        people: t(locale, 'visitor.people', { names: '', count: v.headcount }),
        host: v.takenById ? personName(directory, v.takenById, locale) : t(locale, 'visitor.list.nobody'),
        took: v.takenAt ? t(locale, 'visitor.list.took', { minutes: Math.round((v.takenAt.getTime() - v.createdAt.getTime()) / 60_000) }) : '',
      }),
    );
    const title = t(locale, 'visitor.list.title', { period: label, count: report.visits.length });
    const median = report.medianMinutes === undefined ? t(locale, 'none') : t(locale, 'visitor.minutes', { n: Math.round(report.medianMinutes) });
    return reply(title, [{ kind: 'header', text: title }, { kind: 'list', items: lines }, { kind: 'context', text: t(locale, 'visitor.list.summary', { median, untaken: report.untaken }) }]);
  },
};

async function expectedReply(ctx: CommandContext): Promise<Reply> {
  const { locale, directory } = ctx;
  const now = ctx.services.clock();
  const list = await expectedToday({ visits: ctx.services.visits, directory, now });
  const day = dateText(directory, now, locale);
  if (list.length === 0) return reply(t(locale, 'visitor.expected.none', { day }));
  const title = t(locale, 'visitor.expected.title', { day });
  const items = list.map((e) =>
    t(locale, 'visitor.expected.line', {
      time: e.expectedAt ? dateTimeText(directory, e.expectedAt, locale).slice(11, 16) : '—',
      company: e.company,
      name: e.visitorName ?? '',
      host: personName(directory, e.personId, locale),
      arrived: e.visitId ? t(locale, 'visitor.expected.arrived') : '',
    }),
  );
  return reply(title, [{ kind: 'header', text: title }, { kind: 'list', items }]);
}

const TIME = /^(\d{4}-\d{2}-\d{2}([ T]\d{1,2}:\d{2})?|\d{1,2}:\d{2})$/;

export const expectCommand: ChatCommand = {
  name: 'expect',
  aliases: ['期待', '预约'],
  usage: { en: 'expect <company> [visitor name] [HH:MM | YYYY-MM-DD [HH:MM]]', 'zh-CN': '预约 <公司> [访客姓名] [时:分 | 日期 [时:分]]' },
  summary: 'cmd.expect',
  async run(ctx, args) {
    const usage = this.usage[ctx.locale];
    const words = tokenize(args);
    // A date and a time typed apart ("2026-12-03 14:30") are one moment.
    if (words.length >= 2 && /^\d{1,2}:\d{2}$/.test(words.at(-1)!) && /^\d{4}-\d{2}-\d{2}$/.test(words.at(-2)!)) words.splice(-2, 2, `${words.at(-2)} ${words.at(-1)}`);
    const time = words.length > 1 && TIME.test(words.at(-1)!) ? words.pop() : undefined;
    const [company, ...rest] = words;
    if (!company) throw new InputError(t(ctx.locale, 'err.invalid', { problem: t(ctx.locale, 'reason.nameEmpty'), usage }));
    const name = parseWith(ZPlainTextSchema(200), company, ctx.locale, usage);
    const visitorName = rest.length ? parseWith(ZPlainTextSchema(200), rest.join(' '), ctx.locale, usage) : undefined;
    const e = await expectVisitor({ visits: ctx.services.visits, directory: ctx.directory, person: ctx.person, company: name, visitorName, time, now: ctx.services.clock() });
    const when = e.expectedAt ? dateTimeText(ctx.directory, e.expectedAt, ctx.locale).slice(0, 16) : e.day;
    return reply(t(ctx.locale, 'visitor.expected.done', { company: e.company, day: when }), [], 'success');
  },
};

const ZActValueSchema = z.object({
  visitId: z.string().min(1).max(64),
  version: z.coerce.number().int().min(1),
  act: z.enum(['coming', 'wait', 'notMe', 'pick', 'close']),
  minutes: z.coerce.number().int().optional(),
  personId: z.string().min(1).max(64).optional(),
});

function actionOf(v: z.infer<typeof ZActValueSchema>): VisitAction {
  switch (v.act) {
    case 'coming':
      return { kind: 'coming' };
    case 'wait':
      return { kind: 'wait', minutes: v.minutes ?? 0 };
    case 'notMe':
      return { kind: 'notMe' };
    case 'pick':
      return { kind: 'pick', personId: v.personId };
    case 'close':
      return { kind: 'close' };
  }
}

/** A press on a visit's button: the pressed message shows the new state, without its spent buttons. */
export const visitorActAction: ChatAction = {
  async run(ctx, value) {
    const v = parseWith(ZActValueSchema, value, ctx.locale, '');
    const now = ctx.services.clock();
    const visit = await actOnVisit({ visits: ctx.services.visits, customers: ctx.services.customers, directory: ctx.directory, actor: ctx.person, visitId: v.visitId, version: v.version, action: actionOf(v), now });
    const snap = snapshotOf(visit, now);
    if (v.act === 'pick' || v.act === 'close') return { update: renderStatus(ctx.directory, ctx.locale, snap) };
    return { update: renderHostMessage(ctx.directory, ctx.locale, snap, false, statusLine(ctx.directory, ctx.locale, snap)) };
  },
};

const ZHandValueSchema = z.object({ visitId: z.string().min(1).max(64), version: z.coerce.number().int().min(1) });

const HAND_FORM: FormSpec = {
  title: { en: 'Hand to a colleague', 'zh-CN': '转交同事' },
  fields: [{ name: 'colleague', kind: 'person', label: { en: 'Colleague', 'zh-CN': '同事' }, keys: ['to', '同事'], required: true }],
  submit: { en: 'Hand over', 'zh-CN': '转交' },
};

/** "Hand to a colleague": the person picker (a modal, a card form, a question in the shell). */
export const visitorHandAction: ChatAction = {
  async run(ctx, value) {
    const v = parseWith(ZHandValueSchema, value, ctx.locale, '');
    return { open: formReply(ctx, { name: 'visitor.hand', context: { visitId: v.visitId, version: String(v.version) }, values: {} }) };
  },
};

export const visitorHandForm: ChatForm = {
  command: 'visitor',
  spec: (_ctx, context) => {
    ZHandValueSchema.parse(context);
    return HAND_FORM;
  },
  async submit(ctx, values, context) {
    const c = ZHandValueSchema.parse(context);
    const to = String(values.colleague);
    await actOnVisit({ visits: ctx.services.visits, customers: ctx.services.customers, directory: ctx.directory, actor: ctx.person, visitId: c.visitId, version: c.version, action: { kind: 'hand', toPersonId: to }, now: ctx.services.clock() });
    return reply(t(ctx.locale, 'visitor.handed', { host: personName(ctx.directory, to, ctx.locale) }), [], 'success');
  },
};

/** "Claim this company": a walk-in is a lead; the claim form, filled in. */
export const visitorClaimAction: ChatAction = {
  async run(ctx, value) {
    const { company } = parseWith(z.object({ company: ZPlainTextSchema(200) }), value, ctx.locale, '');
    return { open: formReply(ctx, { name: 'customer.claim', context: {}, values: { name: company } }) };
  },
};
