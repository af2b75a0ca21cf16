// How a digest's figures read: stage counts, verdicts, amounts. Pure.
import { STAGES } from '../../core/customers/funnel.ts';
import type { Diagnosis, StageCounts } from '../../core/digests/diagnosis.ts';
import { MIN_CUSTOMERS } from '../../core/digests/diagnosis.ts';
import type { RepFigures } from '../../core/digests/digest.ts';
import { FOLLOW_UP_KINDS } from '../../core/digests/digest.ts';
import { conversionRate, touchTotal } from '../../core/digests/figures.ts';
import type { Locale, OrgDirectory } from '../../core/org/org.ts';
import { listJoin, t } from '../i18n.ts';

export const countsText = (c: StageCounts) => STAGES.map((s) => c[s]).join(' / ');

export function amountText(locale: Locale, amount: number): string {
  if (!amount) return '';
  return amount.toLocaleString(locale === 'en' ? 'en-US' : 'zh-CN', { maximumFractionDigits: 0 });
}

export function verdictText(locale: Locale, d: Diagnosis, vsTeam?: Diagnosis): string {
  if (d.status === 'tooFew') return t(locale, 'digest.verdict.tooFew');
  if (d.thin) return t(locale, 'digest.verdict.thin', { stage: `${d.thin.stage}%`, cause: t(locale, `digest.cause.${d.thin.cause}`) });
  if (vsTeam?.thin) return t(locale, 'digest.verdict.thinVsTeam', { stage: `${vsTeam.thin.stage}%` });
  return t(locale, 'digest.verdict.healthy');
}

export function personLabel(directory: OrgDirectory, id: string): string {
  return directory.person(id)?.name ?? id;
}

/** The lines of one rep's details (funnel, moves, conversion, touchpoints, relationships). */
export function repDetailLines(locale: Locale, name: string, f: RepFigures, verdict: string): string[] {
  const m = f.moves;
  const conversions = STAGES.filter((s) => s !== 100)
    .map((s) => {
      const rate = conversionRate(f, s);
      return `${s}%→ ${rate === undefined ? '—' : `${Math.round(rate * 100)}%`}`;
    })
    .join(', ');
  const kinds = FOLLOW_UP_KINDS.filter((k) => f.touches.period[k] > 0).map((k) => `${t(locale, `kind.${k}`)} ${f.touches.period[k]}`);
  const untouched = STAGES.filter((s) => f.untouched[s] > 0).map((s) => `${s}%: ${f.untouched[s]}`);
  const contacts = f.stages[25] + f.stages[50] + f.stages[75] + f.stages[100];
  const keyPersons = f.stages[50] + f.stages[75] + f.stages[100];
  return [
    t(locale, 'digest.funnelLine', { name, counts: countsText(f.stages), verdict }),
    `  ${t(locale, 'digest.movesLine', { ...m, amount: amountText(locale, m.dealAmount) })}`,
    `  ${t(locale, 'digest.conversionsLine', { list: conversions })}`,
    `  ${t(locale, 'digest.touchLine', { period: touchTotal(f.touches.period), days30: touchTotal(f.touches.days30), kinds: kinds.length ? listJoin(locale, kinds) : t(locale, 'none') })}`,
    `  ${t(locale, 'digest.untouchedLine', { days: 30, list: untouched.length ? listJoin(locale, untouched) : '0' })}; ${t(locale, 'digest.contactsLine', { contacts, keyPersons })}`,
    `  ${t(locale, 'digest.contestsLine', { ...f.contests, nearDuplicates: f.nearDuplicates })}`,
  ];
}

export { MIN_CUSTOMERS };
