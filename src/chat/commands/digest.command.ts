// `digest [last-week|<date>]` / 周报: the digest of the person's line (a rep: their own
// funnel) for this week so far, last week or the week holding a date, with its charts;
// `digest settings [weekly|daily|off]` / 周报 设置: how often it comes by itself. The page
// buttons of a digest rebuild it and show the page asked for in place.
import { z } from 'zod';
import { DEFAULT_DIGEST_SCHEDULE, dayOf, weekPeriod, type DigestFrequency } from '../../core/digests/period.ts';
import { defaultFrequency } from '../../core/digests/frequency.ts';
import { addDays } from '../../core/time/working-days.ts';
import type { ChatAction, ChatCommand, CommandContext } from '../command.ts';
import { digestMessage, periodFromValue } from '../digests/digest-message.ts';
import { t } from '../i18n.ts';
import { reply } from '../reply.ts';
import { parseWith } from '../validation.ts';

const FREQUENCIES: Record<string, DigestFrequency> = { weekly: 'weekly', daily: 'daily', off: 'off', 每周: 'weekly', 每天: 'daily', 关闭: 'off' };
const LAST_WEEK = new Set(['last-week', 'lastweek', 'last', '上周']);
const SETTINGS = new Set(['settings', 'setting', '设置']);
const WEEK_DAYS: Record<string, { en: string; 'zh-CN': string }> = {
  mon: { en: 'Monday', 'zh-CN': '周一' }, tue: { en: 'Tuesday', 'zh-CN': '周二' }, wed: { en: 'Wednesday', 'zh-CN': '周三' }, thu: { en: 'Thursday', 'zh-CN': '周四' },
  fri: { en: 'Friday', 'zh-CN': '周五' }, sat: { en: 'Saturday', 'zh-CN': '周六' }, sun: { en: 'Sunday', 'zh-CN': '周日' },
};

/** `2026-01-05`, `2026/1/5`: a calendar date, or undefined. */
function parseDay(raw: string): string | undefined {
  const m = /^(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})$/.exec(raw);
  if (!m) return undefined;
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const date = new Date(Date.UTC(y, mo - 1, d));
  return date.getUTCFullYear() === y && date.getUTCMonth() === mo - 1 && date.getUTCDate() === d ? date.toISOString().slice(0, 10) : undefined;
}

function frequencyText(ctx: CommandContext, f: DigestFrequency): string {
  const schedule = ctx.directory.org.digest ?? DEFAULT_DIGEST_SCHEDULE;
  if (f === 'weekly') return t(ctx.locale, 'digest.frequency.weekly', { day: WEEK_DAYS[schedule.day]![ctx.locale], time: schedule.time });
  if (f === 'daily') return t(ctx.locale, 'digest.frequency.daily', { time: schedule.time });
  return t(ctx.locale, 'digest.frequency.off');
}

export const digestCommand: ChatCommand = {
  name: 'digest',
  aliases: ['周报', 'report'],
  usage: { en: 'digest [last-week|<date>|settings [weekly|daily|off]]', 'zh-CN': '周报 [上周|<日期>|设置 [每周|每天|关闭]]' },
  summary: 'cmd.digest',
  roles: ['rep', 'manager'],
  async run(ctx, args) {
    const { locale, directory } = ctx;
    const words = args.trim().split(/\s+/u).filter(Boolean);
    const first = words[0]?.toLowerCase() ?? '';
    if (SETTINGS.has(first)) {
      const settings = ctx.services.digestSettings;
      if (words.length === 1) {
        const current = (await settings.frequencyOf(ctx.person.id)) ?? defaultFrequency(ctx.directory, ctx.person);
        return reply(t(locale, 'digest.settings.current', { frequency: frequencyText(ctx, current) }));
      }
      const choice = parseWith(z.string().transform((s, c) => FREQUENCIES[s.toLowerCase()] ?? (c.addIssue({ code: 'custom', message: 'err.badArgs' }), z.NEVER)), words.slice(1).join(' '), locale, this.usage[locale]);
      await settings.set(ctx.person.id, choice, ctx.services.clock());
      return reply(t(locale, 'digest.settings.done', { frequency: frequencyText(ctx, choice) }), [], 'success');
    }
    const tz = directory.org.timezone;
    const today = dayOf(ctx.services.clock(), tz);
    let day = today;
    if (LAST_WEEK.has(first) && words.length === 1) day = addDays(today, -7);
    else if (words.length === 1 && parseDay(first)) day = parseDay(first)!;
    else if (words.length > 0) return reply(t(locale, 'digest.badPeriod', { input: args.trim() }), [], 'warning');
    if (day > today) return reply(t(locale, 'digest.futurePeriod', { date: day }), [], 'warning');
    return digestMessage({ services: ctx.services, directory, person: ctx.person, locale, period: weekPeriod(day, tz), charts: true });
  },
};

const ZPageValueSchema = z.object({ kind: z.enum(['weekly', 'daily']), day: z.string().regex(/^\d{4}-\d{2}-\d{2}$/), page: z.coerce.number().int().min(1).max(1000) });

/** A page button: the same digest, rebuilt for whoever pressed (their own line), at that page. */
export const digestPageAction: ChatAction = {
  async run(ctx, value) {
    const v = parseWith(ZPageValueSchema, value, ctx.locale, '');
    const period = periodFromValue(ctx.directory, v);
    return { update: await digestMessage({ services: ctx.services, directory: ctx.directory, person: ctx.person, locale: ctx.locale, period, page: v.page, charts: false }) };
  },
};
