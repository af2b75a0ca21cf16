// `promise <company> <service> <date>` / 承诺: checks a date before anyone promises it to a
// customer, against the service's standard lead time in working days from now (holidays
// skipped, make-up days counted): too early answers with the earliest realistic date and why.
import { checkServicePromise, recordServicePromise } from '../../core/requests/check-promise.ts';
import type { ChatCommand } from '../command.ts';
import { tokenize } from '../grammar.ts';
import { listJoin, t } from '../i18n.ts';
import { errorReply, reply, type ReplyBlock } from '../reply.ts';
import { InputError, parseWith, ZCompanyNameSchema } from '../validation.ts';
import { serviceOrRefusal } from './request.command.ts';

const DATE = /^(\d{4})[-/](\d{1,2})[-/](\d{1,2})$/;

/** "2026-10-09" from 2026-10-09 or 2026/10/9, when it is a real calendar day. */
function dayOf(s: string): string | undefined {
  const m = DATE.exec(s);
  if (!m) return undefined;
  const d = new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3])));
  const ymd = d.toISOString().slice(0, 10);
  return d.getUTCDate() === Number(m[3]) ? ymd : undefined;
}

export const promiseCommand: ChatCommand = {
  name: 'promise',
  aliases: ['承诺'],
  usage: { en: 'promise <company> <service> <date>', 'zh-CN': '承诺 <公司> <服务> <日期>' },
  summary: 'cmd.promise',
  async run(ctx, args) {
    const { locale } = ctx;
    const usage = this.usage[locale];
    const words = tokenize(args);
    if (words.length < 3) throw new InputError(t(locale, 'err.invalid', { problem: t(locale, 'err.badArgs'), usage }));
    const date = dayOf(words.at(-1)!);
    if (!date) throw new InputError(t(locale, 'err.invalid', { problem: t(locale, 'promise.badDate'), usage }));
    const company = parseWith(ZCompanyNameSchema, words.slice(0, -2).join(' '), locale, usage);
    const service = serviceOrRefusal(ctx.services.catalog(), locale, words.at(-2)!);
    if (!('key' in service)) return service;
    const outcome = checkServicePromise({ org: ctx.directory.org, service, date, now: ctx.services.clock() });
    if (outcome.kind === 'past') return errorReply(t(locale, 'promise.past', { date }), t(locale, 'help.usage', { usage }));
    if (outcome.kind === 'realistic') await recordServicePromise({ requests: ctx.services.requests, customers: ctx.services.customers, company, service, date, person: ctx.person, now: ctx.services.clock() });
    const p = { service: service.name[locale], date, earliest: outcome.earliest, lead: outcome.leadTimeDays };
    const text = t(locale, outcome.kind === 'realistic' ? 'promise.ok' : 'promise.tooEarly', p);
    const blocks: ReplyBlock[] = [{ kind: 'text', text }];
    if (outcome.holidays.length) blocks.push({ kind: 'context', text: t(locale, 'promise.holidays', { holidays: listJoin(locale, outcome.holidays) }) });
    if (outcome.unknownYears.length) blocks.push({ kind: 'context', text: t(locale, 'promise.unknownYear', { years: outcome.unknownYears.join(', ') }) });
    return reply(text, blocks, outcome.kind === 'realistic' ? 'success' : 'warning');
  },
};
